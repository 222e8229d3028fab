package com.activityfeed.feed.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Grouping defaults for every type of the catalog. */
@ConfigMapping(prefix = "feed.grouping")
public interface CatalogConfig {
    @WithDefault("5m")
    Duration window();

    /** The member count at which a window's singles fold into a group. */
    @WithDefault("3")
    int threshold();

    /** {@code type}, {@code type+actor} or {@code type+entity}. */
    @WithDefault("type")
    String key();
}
