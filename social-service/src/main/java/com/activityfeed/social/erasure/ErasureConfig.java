package com.activityfeed.social.erasure;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "social.erasure")
public interface ErasureConfig {
    /**
     * How long a request that fails (database or broker restarting) is retried before the consumer
     * moves on; under the connector's 60 s limit. feed-service re-sends a request that stays pending.
     */
    @WithDefault("45s")
    Duration retryFor();

    @WithDefault("100ms")
    Duration retryBackoff();

    @WithDefault("5s")
    Duration retryBackoffMax();
}
