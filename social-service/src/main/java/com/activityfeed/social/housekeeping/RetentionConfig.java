package com.activityfeed.social.housekeeping;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/**
 * Retention (SPEC §6a): how long a tenant's comments, chat messages and reactions are kept. The
 * same two settings as feed-service's {@code feed.retention}; set both alike.
 */
@ConfigMapping(prefix = "social.retention")
public interface RetentionConfig {
    /** Days a tenant's social rows are kept unless {@link #tenantDays()} names the tenant. */
    @WithDefault("400")
    int defaultDays();

    /**
     * Per-tenant overrides, {@code tenant=days} separated by commas
     * ({@code SOCIAL_RETENTION_TENANT_DAYS=acme=30,globex=730}); a malformed entry stops the start.
     */
    Optional<List<String>> tenantDays();

    /** Rows deleted per transaction. */
    @WithDefault("1000")
    int batchSize();

    /** How often retention runs ({@code off} disables it). */
    @WithDefault("1h")
    String every();

    /** Delay of the first run after start. */
    @WithDefault("2m")
    String delay();
}
