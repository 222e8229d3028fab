package com.activityfeed.social.tiles;

import com.activityfeed.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Waits, bounded, for a tile the feed has created but whose {@code feed.changes} entry social has
 * not consumed yet (a client may react the instant the tile reaches it over SSE).
 */
@ApplicationScoped
public class TileLookup {
    private static final long RECHECK_MILLIS = 50;

    private final TileProjection projection;
    private final TileWaiters waiters;
    private final TilesConfig config;

    public TileLookup(TileProjection projection, TileWaiters waiters, TilesConfig config) {
        this.projection = projection;
        this.waiters = waiters;
        this.config = config;
    }

    /** The id of a tile social knows of (after the bounded wait), else a 404; a malformed id is a 404 too. */
    public UUID requireKnown(String tileId) {
        UUID id = parse(tileId);
        if (!awaitKnown(id)) {
            throw notFound();
        }
        return id;
    }

    public static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    public static ProblemException notFound() {
        return ProblemException.notFound("no such tile");
    }

    /** True once the projection knows the id (any tenant), false when the configured wait ran out. */
    public boolean awaitKnown(UUID id) {
        long deadline = System.nanoTime() + config.unknownWait().toNanos();
        while (true) {
            if (projection.known(id)) {
                return true;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            try {
                waiters.await(id, Math.min(left, RECHECK_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
