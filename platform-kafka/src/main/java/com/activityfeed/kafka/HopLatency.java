package com.activityfeed.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The per-hop latency of an event on its way through the pipeline: one timer name,
 * {@code pipeline.hop.latency}, tagged with the hop (Prometheus:
 * {@code pipeline_hop_latency_seconds_bucket{hop="…"}}), as a histogram only: client-side
 * percentiles would put quantile samples beside the buckets, which OpenMetrics parsers reject, and
 * cannot be aggregated across replicas anyway.
 */
public final class HopLatency {
    public static final String NAME = "pipeline.hop.latency";
    public static final String TAG = "hop";

    private HopLatency() {
    }

    public static Timer timer(MeterRegistry registry, String hop) {
        return Timer.builder(NAME)
                .description("time an event spends on one hop of the pipeline")
                .tag(TAG, hop)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    /** Records the time from {@code sinceEpochMillis} (a wall-clock stamp such as a Kafka record timestamp) to now. */
    public static void recordSince(Timer timer, long sinceEpochMillis) {
        long millis = System.currentTimeMillis() - sinceEpochMillis;
        // clocks of two hosts may disagree by a little: a negative figure says "no time", not "error"
        timer.record(Math.max(0, millis), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
