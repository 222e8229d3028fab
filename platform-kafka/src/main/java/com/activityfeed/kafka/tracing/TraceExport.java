package com.activityfeed.kafka.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.Collection;

/**
 * Keeps span export off until a collector is configured. Trace ids are still made (they reach the
 * log lines and the {@code traceparent} headers; by default the sampler records no span, since
 * recording spans only to drop them cost a fifth of ingest's throughput), but quarkus-opentelemetry's
 * OTLP exporter would otherwise send them to {@code localhost:4317} by default and log a failure every
 * few seconds where no collector runs (CI, a laptop).
 *
 * <p>While {@code quarkus.otel.exporter.otlp.endpoint} is unset (each service maps
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} onto it; {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} works
 * too), this exporter, which drops every span, is the service's span exporter: Quarkus then creates
 * no OTLP exporter at all. Once the endpoint is set, this bean steps aside and Quarkus' OTLP exporter
 * sends to it (protocol {@code quarkus.otel.exporter.otlp.protocol}, grpc by default).
 */
@ApplicationScoped
public class TraceExport {
    static final String ENDPOINT = "quarkus.otel.exporter.otlp.endpoint";
    private static final Logger LOG = Logger.getLogger(TraceExport.class);

    /**
     * Says at start-up whether spans are recorded and where they go, and warns when an endpoint is set
     * while the sampler records nothing (the sampler is OpenTelemetry's {@code OTEL_TRACES_SAMPLER},
     * read by the SDK at run time; the services' default records no span, see application.properties).
     * The probe span is never ended, so it is never exported.
     */
    void report(@Observes StartupEvent started, Config config, OpenTelemetry openTelemetry) {
        boolean records = openTelemetry.getTracer(TraceExport.class.getName()).spanBuilder("sampler probe")
                .setNoParent().startSpan().isRecording();
        boolean httpSpans = config.getOptionalValue(HttpTracingDefault.HTTP_SPANS, Boolean.class).orElse(true);
        config.getOptionalValue(ENDPOINT, String.class).filter(e -> !e.isBlank()).ifPresentOrElse(endpoint -> {
            if (records) {
                LOG.infof("tracing: spans are recorded and exported to %s%s", endpoint,
                        httpSpans ? "" : " (no HTTP server spans: quarkus.otel.instrument.vertx-http=false)");
            } else {
                LOG.warnf("tracing: spans go to %s, but the sampler records no trace that starts here: set "
                        + "OTEL_TRACES_SAMPLER=parentbased_always_on (or parentbased_traceidratio with "
                        + "OTEL_TRACES_SAMPLER_ARG) to record them", endpoint);
            }
        }, () -> LOG.infof("tracing: no OTLP endpoint set: trace ids are propagated and logged, no span is %s; "
                + "HTTP server spans %s", records ? "exported (they are recorded and dropped: OTEL_TRACES_SAMPLER records them)"
                : "recorded", httpSpans ? "on" : "off (a request's log lines carry a trace id only once it reaches Kafka)"));
    }

    @Produces
    @Singleton
    @LookupIfProperty(name = ENDPOINT, stringValue = "", lookupIfMissing = true)
    SpanExporter dropWithoutCollector() {
        return new Drop();
    }

    /** Accepts and forgets every span. */
    static final class Drop implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public String toString() {
            return "TraceExport.Drop (no OTLP endpoint configured)";
        }
    }
}
