package com.activityfeed.social.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The test app's span exporter, next to the service's own (which drops spans while no collector is
 * set): keeps the latest spans in memory, bounded, since every test of the app exports through it.
 */
@ApplicationScoped
public class SpanCollector implements SpanExporter {
    private static final int KEEP = 20_000;
    private final ArrayDeque<SpanData> spans = new ArrayDeque<>();

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> batch) {
        for (SpanData span : batch) {
            if (spans.size() == KEEP) {
                spans.pollFirst();
            }
            spans.addLast(span);
        }
        return CompletableResultCode.ofSuccess();
    }

    /** Every span kept, oldest first. */
    public synchronized List<SpanData> all() {
        return new ArrayList<>(spans);
    }

    /** The finished spans of one trace, oldest first. */
    public synchronized List<SpanData> trace(String traceId) {
        List<SpanData> found = new ArrayList<>();
        for (SpanData span : spans) {
            if (span.getTraceId().equals(traceId)) {
                found.add(span);
            }
        }
        return found;
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
