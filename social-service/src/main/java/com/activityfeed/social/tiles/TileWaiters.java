package com.activityfeed.social.tiles;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests waiting for a tile this replica's projection consumer may announce. Another replica
 * may hold the tenant's partition, so waiters also re-check the database at a short interval.
 */
@ApplicationScoped
public class TileWaiters {
    private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** Waits up to {@code millis} for {@link #seen} of the id; returns at once if it comes earlier. */
    void await(UUID id, long millis) throws InterruptedException {
        CompletableFuture<Void> future = waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
        try {
            future.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // not announced here within the interval; the caller re-checks the database
        } finally {
            waiting.remove(id, future);
        }
    }

    void seen(UUID id) {
        CompletableFuture<Void> future = waiting.remove(id);
        if (future != null) {
            future.complete(null);
        }
    }
}
