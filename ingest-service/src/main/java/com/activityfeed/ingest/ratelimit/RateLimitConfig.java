package com.activityfeed.ingest.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/**
 * Events per second each tenant may post to one ingest replica (SPEC §3). The limit is enforced
 * per replica: with N replicas behind a load balancer a tenant gets up to N times this in total.
 */
@ConfigMapping(prefix = "ingest.rate-limit")
public interface RateLimitConfig {
    /** Default events/s per tenant and replica; the bucket holds one second's worth. */
    @WithDefault("2000")
    double eventsPerSecond();

    /** Per-tenant overrides, {@code ingest.rate-limit.tenants.<tenant>=<events/s>}. */
    Map<String, Double> tenants();
}
