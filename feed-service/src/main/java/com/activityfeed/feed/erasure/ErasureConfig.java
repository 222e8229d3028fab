package com.activityfeed.feed.erasure;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Erasure (SPEC §6a): how requests are retried and re-sent. */
@ConfigMapping(prefix = "feed.erasure")
public interface ErasureConfig {
    /**
     * A request still pending this long after it was last sent goes to {@code erasure.requests}
     * again (a lost or skipped message, a service that gave up): services do their part idempotently.
     */
    @WithDefault("5m")
    Duration resendAfter();

    /** How often pending requests are looked at (re-send, the pending gauges); {@code off} disables it. */
    @WithDefault("10s")
    String checkEvery();

    /**
     * How long a request that fails to apply (database restarting) is retried before the consumer
     * moves on; kept under the Kafka connector's 60 s limit for an unprocessed record. The re-send
     * brings it back later.
     */
    @WithDefault("45s")
    Duration retryFor();

    /**
     * How often every replica looks for erasures whose feed part was just committed, to close the
     * person's (or tenant's) open streams it holds; {@code off} disables it.
     */
    @WithDefault("1s")
    String closeEvery();

    @WithDefault("100ms")
    Duration retryBackoff();

    @WithDefault("5s")
    Duration retryBackoffMax();
}
