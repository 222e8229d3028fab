package com.activityfeed.social.tiles;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "social.tiles")
public interface TilesConfig {
    /** How long a request waits for a tile social has not heard of yet before answering 404 (SPEC §6). */
    @WithDefault("1s")
    Duration unknownWait();

    /** How long a feed change that fails to apply (database restarting) is retried before it is dead-lettered. */
    @WithDefault("45s")
    Duration retryFor();
}
