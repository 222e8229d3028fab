package com.activityfeed.feed.housekeeping;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Retention of the change log and the pace of expiry. */
@ConfigMapping(prefix = "feed.housekeeping")
public interface HousekeepingConfig {
    /** Changes older than this leave the log (resume from older answers feed.snapshot-required). */
    @WithDefault("24h")
    Duration changeRetention();

    /** At most this many newest changes are kept per tenant. */
    @WithDefault("100000")
    long maxChangesPerTenant();

    /** Expired events handled per run (per transaction). */
    @WithDefault("500")
    int expiryBatch();

    /**
     * How often expired events leave their tiles ({@code 0} disables it): a live stream hears of an
     * expiry at most this long (plus the relay) after {@code expiresAt}.
     */
    @WithDefault("250ms")
    Duration expiryEvery();

    /** How often the scheduler prunes the change log ({@code off} disables it). */
    @WithDefault("30s")
    String every();

    /** Delay of the first run after start. */
    @WithDefault("10s")
    String delay();
}
