package com.activityfeed.feed.social;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "feed.social")
public interface SocialRelayConfig {
    /**
     * How long an update that fails for a reason other than its content is retried before it goes
     * to the DLQ; kept under the Kafka connector's 60 s limit for an unprocessed record.
     */
    @WithDefault("45s")
    Duration retryFor();

    @WithDefault("100ms")
    Duration retryBackoff();

    @WithDefault("5s")
    Duration retryBackoffMax();
}
