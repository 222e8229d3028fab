package com.activityfeed.feed.housekeeping;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/**
 * Retention (SPEC §6a): how long a tenant's events and tiles are kept. social-service reads the
 * same two settings under {@code social.retention}; set both alike.
 */
@ConfigMapping(prefix = "feed.retention")
public interface RetentionConfig {
    /** Days a tenant's events and tiles are kept unless {@link #tenantDays()} names the tenant. */
    @WithDefault("400")
    int defaultDays();

    /**
     * Per-tenant overrides, {@code tenant=days} separated by commas (one environment variable,
     * {@code FEED_RETENTION_TENANT_DAYS=acme=30,globex=730}); a malformed entry stops the start.
     */
    Optional<List<String>> tenantDays();

    /** Rows (events, counting a group's members) deleted per transaction, so the tenant's lock is short. */
    @WithDefault("1000")
    int batchSize();

    /** How often retention runs ({@code off} disables it). */
    @WithDefault("1h")
    String every();

    /** Delay of the first run after start. */
    @WithDefault("2m")
    String delay();
}
