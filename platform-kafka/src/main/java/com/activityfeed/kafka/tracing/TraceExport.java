package com.activityfeed.kafka.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Collection;

/**
 * Keeps span export off until a collector is configured. Spans are still made (trace ids reach the
 * log lines and the {@code traceparent} headers), but quarkus-opentelemetry's OTLP exporter would
 * otherwise send them to {@code localhost:4317} by default and log a failure every few seconds
 * where no collector runs (CI, a laptop).
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
