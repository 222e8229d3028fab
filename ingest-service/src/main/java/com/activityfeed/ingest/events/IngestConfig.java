package com.activityfeed.ingest.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The limits of SPEC §3 that operators may tune; everything else in §3 is fixed by the contract. */
@ConfigMapping(prefix = "ingest.events")
public interface IngestConfig {
    /** How far in the future {@code occurredAt} may lie (clock skew of producers). */
    @WithDefault("5m")
    Duration maxAhead();

    /** How far in the past {@code occurredAt} may lie. */
    @WithDefault("30d")
    Duration maxBehind();
}
