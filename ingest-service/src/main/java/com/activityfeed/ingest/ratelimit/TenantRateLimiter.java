package com.activityfeed.ingest.ratelimit;

import com.activityfeed.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** One {@link TokenBucket} per tenant, so one noisy tenant cannot starve the others. */
@ApplicationScoped
public class TenantRateLimiter {
    private final RateLimitConfig config;
    private final LongSupplier nanoClock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public TenantRateLimiter(RateLimitConfig config) {
        this(config, System::nanoTime);
    }

    TenantRateLimiter(RateLimitConfig config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
    }

    /**
     * Takes the events of one request from each tenant's bucket, all or none.
     *
     * @throws ProblemException 429 with Retry-After when a tenant is over its rate
     */
    public void acquire(Map<String, Integer> eventsByTenant) {
        long now = nanoClock.getAsLong();
        List<Map.Entry<TokenBucket, Integer>> taken = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : eventsByTenant.entrySet()) {
            TokenBucket bucket = buckets.computeIfAbsent(entry.getKey(), t -> new TokenBucket(rateOf(t), now));
            long wait = bucket.tryTake(entry.getValue(), now);
            if (wait > 0) {
                taken.forEach(t -> t.getKey().giveBack(t.getValue()));
                throw ProblemException.tooManyRequests("tenant " + entry.getKey() + " is over its rate of "
                        + format(rateOf(entry.getKey())) + " events per second", Duration.ofNanos(wait));
            }
            taken.add(Map.entry(bucket, entry.getValue()));
        }
    }

    double rateOf(String tenant) {
        return config.tenants().getOrDefault(tenant, config.eventsPerSecond());
    }

    private static String format(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }
}
