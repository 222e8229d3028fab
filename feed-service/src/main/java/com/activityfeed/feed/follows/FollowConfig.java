package com.activityfeed.feed.follows;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "feed.follows")
public interface FollowConfig {
    /** Follows one user may hold (SPEC §4a); the next is a 409. */
    @WithDefault("5000")
    int maxPerUser();

    /** How often each replica looks for follow changes made on other replicas, for its open streams. */
    @WithDefault("1s")
    Duration refreshEvery();

    /** How far back each look reaches, to catch transactions that committed after a previous look began. */
    @WithDefault("5s")
    Duration refreshOverlap();

    /** Tiles whose terms a replica keeps in memory for the stream's following filter. */
    @WithDefault("20000")
    int tileCache();
}
