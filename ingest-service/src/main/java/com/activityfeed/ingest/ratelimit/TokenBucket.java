package com.activityfeed.ingest.ratelimit;

/**
 * A token bucket holding one second's worth of events, refilled continuously. A request larger
 * than the whole bucket passes only when the bucket is full (and leaves it in debt), so a batch of
 * 500 is never refused forever by a tenant whose rate is below 500/s.
 */
final class TokenBucket {
    private final double ratePerSecond;
    private double tokens;
    private long lastNanos;

    TokenBucket(double ratePerSecond, long nowNanos) {
        this.ratePerSecond = ratePerSecond;
        this.tokens = ratePerSecond;
        this.lastNanos = nowNanos;
    }

    /** Takes {@code n} tokens and returns 0, or returns the nanoseconds to wait before retrying. */
    synchronized long tryTake(int n, long nowNanos) {
        refill(nowNanos);
        if (tokens >= n || tokens >= ratePerSecond) {
            tokens -= n;
            return 0;
        }
        double missing = Math.min(n, ratePerSecond) - tokens;
        return (long) Math.ceil(missing / ratePerSecond * 1e9);
    }

    synchronized void giveBack(int n) {
        tokens = Math.min(ratePerSecond, tokens + n);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(ratePerSecond, tokens + elapsed / 1e9 * ratePerSecond);
            lastNanos = nowNanos;
        }
    }
}
