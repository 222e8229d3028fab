package com.activityfeed.kafka.consume;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The back-off of a consumer retrying a failure that is not the message's own (the database or a
 * broker away): it starts at {@link #firstBackoff()} and doubles up to {@link #maxBackoff()}.
 * Shared by every service that consumes through {@link ConsumerRetries}.
 */
@ConfigMapping(prefix = "pipeline.consumer.retry")
public interface ConsumerRetryConfig {
    @WithDefault("100ms")
    Duration firstBackoff();

    @WithDefault("5s")
    Duration maxBackoff();
}
