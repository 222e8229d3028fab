package com.activityfeed.feed.changes;

import com.activityfeed.kafka.outbox.RelayConfig;
import io.smallrye.config.ConfigMapping;

/** The relay of the change outbox to {@code feed.changes}: {@code feed.relay.*} (see {@link RelayConfig}). */
@ConfigMapping(prefix = "feed.relay")
public interface ChangeRelayConfig extends RelayConfig {
}
