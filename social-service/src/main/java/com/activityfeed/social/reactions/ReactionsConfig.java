package com.activityfeed.social.reactions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "social.reactions")
public interface ReactionsConfig {
    /** New reactions one user may add within {@link #window()}; the next one is a 429 (SPEC §6). */
    @WithDefault("10")
    int limit();

    @WithDefault("1h")
    Duration window();
}
