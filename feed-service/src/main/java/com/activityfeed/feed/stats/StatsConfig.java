package com.activityfeed.feed.stats;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "feed.stats")
public interface StatsConfig {
    /** Statement timeout of each section; a section over it is left out with an error (partial: true). */
    @WithDefault("2s")
    Duration sectionTimeout();

    /** The widest from..to range a caller may ask for. */
    @WithDefault("400d")
    Duration maxRange();
}
