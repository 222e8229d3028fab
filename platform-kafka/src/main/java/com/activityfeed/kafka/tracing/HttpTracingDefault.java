package com.activityfeed.kafka.tracing;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Turns Quarkus' HTTP server spans ({@code quarkus.otel.instrument.vertx-http}) off while no
 * collector is configured, unless that setting is given explicitly. With nothing recorded, those
 * spans only cost: their attributes are extracted before the sampler decides, about 6 % of ingest's
 * CPU per single-event POST in a profile at 200 POSTs/s. Without them a request's log lines carry no
 * trace id, but the trace still continues: ingest's send span is the child of the caller's
 * {@code traceparent}, and everything downstream follows. Once {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * (or {@code quarkus.otel.exporter.otlp.endpoint}) is set they are on, so a trace starts at the POST.
 *
 * <p>An interceptor, asked at every lookup of the setting, so it sees the endpoint from every source
 * (environment included); registered in {@code META-INF/services}.
 */
public class HttpTracingDefault implements ConfigSourceInterceptor {
    static final String HTTP_SPANS = "quarkus.otel.instrument.vertx-http";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue given = context.proceed(name);
        // Quarkus' own default (true) comes from its defaults source, the lowest of all: not a choice
        if (!HTTP_SPANS.equals(name) || given != null && given.getConfigSourceOrdinal() > Integer.MIN_VALUE) {
            return given;
        }
        ConfigValue endpoint = context.restart(TraceExport.ENDPOINT);
        boolean collector = endpoint != null && endpoint.getValue() != null && !endpoint.getValue().isBlank();
        return ConfigValue.builder().withName(name).withValue(Boolean.toString(collector))
                .withConfigSourceName(HttpTracingDefault.class.getSimpleName()).build();
    }
}
