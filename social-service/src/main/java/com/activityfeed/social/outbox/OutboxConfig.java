package com.activityfeed.social.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "social.outbox")
public interface OutboxConfig {
    /** How often the relay looks at the outbox when nobody woke it (another replica's rows, a broker that was down). */
    @WithDefault("200ms")
    Duration pollInterval();

    /** Rows sent per round trip. */
    @WithDefault("500")
    int batchSize();
}
