package com.activityfeed.ingest.publish;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How ingest publishes to {@code activity.raw}. */
@ConfigMapping(prefix = "ingest.publish")
public interface PublishConfig {
    /** How long a request waits for the broker's acknowledgement before answering 503. */
    @WithDefault("5s")
    Duration timeout();

    /**
     * Transactional producers for multi-event requests (each commits a batch all or nothing). 0
     * publishes batches on the idempotent producer without a transaction: faster, but a failure
     * half way through may leave part of a batch in Kafka.
     */
    @WithDefault("2")
    int transactionalProducers();

    /**
     * Prefix of the producers' {@code transactional.id} ({@code <prefix>-<index>}); it must differ
     * between replicas that run at the same time (they would fence each other) and should stay the
     * same across a restart of one replica (the restarted process then aborts what its predecessor
     * left open at once, instead of after the transaction timeout). Default: the host name.
     */
    Optional<String> transactionalIdPrefix();

    /**
     * How long the producer waits for more records before it sends a produce request
     * ({@code linger.ms}): single-event requests that arrive within it share one request to the
     * broker, which costs the broker and the producer's network thread per request, not per record.
     */
    @WithDefault("1ms")
    Duration linger();

    /**
     * A batch whose events all belong to one tenant is one record, a JSON array of its events, when
     * it fits one ({@code activity.raw} record format: docs/architecture.md). false publishes every
     * event as a record of its own (batches in a transaction), for consumers of the topic that read
     * one event per record.
     */
    @WithDefault("true")
    boolean batchRecords();

    /** Most requests committed in one transaction: requests that wait together share a commit. */
    @WithDefault("32")
    int requestsPerTransaction();
}
