package com.activityfeed.bench;

import java.util.Arrays;

/** Percentiles of a set of measured durations, in milliseconds. */
public record Percentiles(int count, double p50, double p90, double p95, double p99, double max) {

    public static Percentiles ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return new Percentiles(0, 0, 0, 0, 0, 0);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.95), at(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    @Override
    public String toString() {
        return String.format("n=%d p50=%.2f ms p90=%.2f ms p95=%.2f ms p99=%.2f ms max=%.2f ms", count, p50, p90, p95, p99, max);
    }
}
