package com.activityfeed.social.outbox;

import com.activityfeed.kafka.outbox.RelayConfig;
import io.smallrye.config.ConfigMapping;

/** The relay of the outbox to {@code social.updates}: {@code social.outbox.*} (see {@link RelayConfig}). */
@ConfigMapping(prefix = "social.outbox")
public interface OutboxConfig extends RelayConfig {
}
