package com.activityfeed.kafka.tracing;

import com.activityfeed.messages.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How a trace crosses Kafka and the outbox tables on this platform: the W3C {@code traceparent} of
 * the sending span travels as a Kafka header (and, between a commit and its relay, as the outbox
 * row's {@code traceparent} column); the receiving side starts its span as a child of it. Only
 * {@code traceparent} is carried, not {@code tracestate}: no service of the platform sets one.
 *
 * <p>Span names and attributes follow the OpenTelemetry messaging conventions
 * ({@code send <topic>}, {@code process <topic>}, {@code messaging.*}). A record or row without a
 * valid trace context gets no span at all: a consumer never opens a new root trace per record.
 */
public final class KafkaTracing {
    /** The instrumentation scope of the platform's own spans. */
    public static final String SCOPE = "com.activityfeed";

    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    public static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    public static final AttributeKey<String> MESSAGE_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    public static final AttributeKey<String> TENANT = AttributeKey.stringKey("feed.tenant");

    private static final TextMapGetter<String> SINGLE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(Topics.HEADER_TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return Topics.HEADER_TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private KafkaTracing() {
    }

    /** The context a {@code traceparent} value names, or null when the value is missing or malformed. */
    public static Context parse(String traceparent) {
        if (traceparent == null || traceparent.isEmpty()) {
            return null;
        }
        Context context = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, SINGLE);
        return Span.fromContext(context).getSpanContext().isValid() ? context : null;
    }

    /** The {@code traceparent} header of a record as text, or null when it has none. */
    public static String header(Headers headers) {
        Header header = headers.lastHeader(Topics.HEADER_TRACEPARENT);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.US_ASCII);
    }

    /** The context of a record's {@code traceparent} header, or null when it has none (or a malformed one). */
    public static Context extract(Headers headers) {
        return parse(header(headers));
    }

    /**
     * The W3C {@code traceparent} of {@code span} ({@code 00-<trace id>-<span id>-<flags>}), or null
     * when it is not valid (no span, or tracing disabled).
     */
    public static String traceparent(SpanContext span) {
        if (span == null || !span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + '-' + span.getSpanId() + '-' + span.getTraceFlags().asHex();
    }

    /** Replaces the record's {@code traceparent} header with {@code span}'s (removes it when the span is not valid). */
    public static void inject(SpanContext span, Headers headers) {
        headers.remove(Topics.HEADER_TRACEPARENT);
        String value = traceparent(span);
        if (value != null) {
            headers.add(Topics.HEADER_TRACEPARENT, value.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A producer span {@code send <topic>} under {@code parent} (the current context when null). */
    public static Span startSend(Tracer tracer, String topic, String key, Context parent) {
        var builder = tracer.spanBuilder("send " + topic).setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, topic)
                .setAttribute(OPERATION_TYPE, "send").setAttribute(OPERATION_NAME, "send");
        if (key != null) {
            builder.setAttribute(MESSAGE_KEY, key);
        }
        if (parent != null) {
            builder.setParent(parent);
        }
        return builder.startSpan();
    }

    /**
     * A consumer span {@code process <topic>} as a child of {@code parent}, the context the record
     * carried; null when it carried none (no new root trace per record).
     */
    public static Span startProcess(Tracer tracer, String topic, String key, Context parent) {
        if (parent == null) {
            return null;
        }
        var builder = tracer.spanBuilder("process " + topic).setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, topic)
                .setAttribute(OPERATION_TYPE, "process").setAttribute(OPERATION_NAME, "process");
        if (key != null) {
            builder.setAttribute(MESSAGE_KEY, key);
        }
        return builder.startSpan();
    }
}
