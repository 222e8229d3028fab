package com.activityfeed.feed.stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/** Live stream settings (SPEC §5). */
@ConfigMapping(prefix = "feed.stream")
public interface StreamConfig {
    /** Interval of the {@code : keepalive} comment. */
    @WithDefault("25s")
    Duration keepalive();

    /** The {@code retry} sent first: how long an EventSource waits before reconnecting. */
    @WithDefault("3000")
    long retryMillis();

    /** Open streams one user may hold on one replica; the next one is a 429. */
    @WithName("max-connections-per-user")
    @WithDefault("10")
    int maxConnectionsPerUser();

    /**
     * Live changes one connection may have waiting for its socket; beyond that the client is cut
     * off with {@code feed.snapshot-required}.
     */
    @WithName("buffer")
    @WithDefault("1000")
    int buffer();

    /** Bytes Vert.x may queue on one socket before the connection counts as not writable. */
    @WithName("write-queue-bytes")
    @WithDefault("65536")
    int writeQueueBytes();

    /** Changes read from the change log per query while replaying. */
    @WithName("replay-batch")
    @WithDefault("500")
    int replayBatch();

    /** How long a cut-off client gets to take its last notice before the socket is closed. */
    @WithName("cut-off-grace")
    @WithDefault("5s")
    Duration cutOffGrace();

    /** At most this many names in the {@code types} filter. */
    @WithName("max-types")
    @WithDefault("50")
    int maxTypes();
}
