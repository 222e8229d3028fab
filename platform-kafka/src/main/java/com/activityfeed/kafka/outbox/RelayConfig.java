package com.activityfeed.kafka.outbox;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The settings of one {@link OutboxRelay}; each use declares its own {@code @ConfigMapping} that
 * extends this (feed: {@code feed.relay.*}, social: {@code social.outbox.*}).
 */
public interface RelayConfig {
    /**
     * How often the relay looks at the outbox when nobody woke it: only a fallback for rows another
     * replica committed while this one holds the relay, or rows left by a crash. Commits on this
     * replica wake the relay at once.
     */
    @WithDefault("200ms")
    Duration pollInterval();

    /** Rows read and sent per round trip. */
    @WithDefault("1000")
    int batchSize();

    /**
     * Rows one tenant may take of a round. A round interleaves tenants (every tenant's first row,
     * then every tenant's second, …), so one tenant's backlog never holds up another's next change.
     */
    @WithDefault("500")
    int perTenantShare();

    /** How long a send may take before the round fails and is retried. */
    @WithDefault("10s")
    Duration sendTimeout();

    /**
     * Rows deleted after which the relay vacuums its outbox table (0: never, autovacuum alone). An
     * outbox is a queue: its rows die as fast as they are written, autovacuum looks at most once a
     * minute, and until a vacuum every round's read steps over the dead rows' index entries and
     * visits their heap pages (at 1 000 changes/s, 60 000 of them).
     */
    @WithDefault("2000")
    long vacuumEvery();

    /** The longest pause between retries while the database or the broker is down. */
    @WithDefault("5s")
    Duration maxBackoff();
}
