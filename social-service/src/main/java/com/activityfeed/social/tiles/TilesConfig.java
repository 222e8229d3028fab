package com.activityfeed.social.tiles;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "social.tiles")
public interface TilesConfig {
    /** How long a request waits for a tile social has not heard of yet before answering 404 (SPEC §6). */
    @WithDefault("1s")
    Duration unknownWait();
}
