package com.activityfeed.feed.tickets;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Stream ticket settings. */
@ConfigMapping(prefix = "feed.stream-tickets")
public interface TicketConfig {
    /** How long a ticket may wait to be used (SPEC §2: 60 s). */
    @WithDefault("60s")
    Duration ttl();
}
