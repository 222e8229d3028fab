package com.activityfeed.ingest.ratelimit;

import com.activityfeed.web.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantRateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TenantRateLimiter limiter = new TenantRateLimiter(new RateLimitConfig() {
        @Override
        public double eventsPerSecond() {
            return 10;
        }

        @Override
        public Map<String, Double> tenants() {
            return Map.of("big", 1000.0);
        }
    }, now::get);

    @Test
    void bucketHoldsOneSecondAndRefillsContinuously() {
        limiter.acquire(Map.of("a", 10));
        assertThatThrownBy(() -> limiter.acquire(Map.of("a", 1))).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(429);
            assertThat(e.retryAfter().toMillis()).isEqualTo(100);
        });
        now.addAndGet(100_000_000L); // 0.1 s = one token
        limiter.acquire(Map.of("a", 1));
        assertThatThrownBy(() -> limiter.acquire(Map.of("a", 1))).isInstanceOf(ProblemException.class);
    }

    @Test
    void tenantsAreIndependentAndOverridesApply() {
        limiter.acquire(Map.of("a", 10));
        limiter.acquire(Map.of("b", 10));
        limiter.acquire(Map.of("big", 1000));
        assertThat(limiter.rateOf("big")).isEqualTo(1000.0);
    }

    @Test
    void aBatchLargerThanTheBucketPassesOnlyWhenFull() {
        limiter.acquire(Map.of("a", 50)); // full bucket, goes into debt
        assertThatThrownBy(() -> limiter.acquire(Map.of("a", 50))).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.retryAfter().toSeconds()).isEqualTo(5)); // 40 debt + 10 to refill at 10/s
        now.addAndGet(5_000_000_000L);
        limiter.acquire(Map.of("a", 50));
    }

    @Test
    void aRefusedRequestTakesNothingFromAnyTenant() {
        limiter.acquire(Map.of("b", 10));
        assertThatThrownBy(() -> limiter.acquire(new java.util.LinkedHashMap<>(Map.of("a", 5)) {{
            put("b", 1);
        }})).isInstanceOf(ProblemException.class);
        limiter.acquire(Map.of("a", 10));
    }
}
