package com.activityfeed.kafka.outbox;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs an action right after the current JTA transaction committed (not after a rollback): how a
 * writer wakes whoever waits for its rows (an outbox relay, request threads waiting for a tile)
 * without anyone polling on a fixed sleep.
 */
public final class AfterCommit {
    private AfterCommit() {
    }

    /** Runs {@code action} after commit, once per transaction and {@code key}, however often called. */
    public static void once(TransactionSynchronizationRegistry transactions, Object key, Runnable action) {
        Object marker = new Marker(key);
        if (transactions.getResource(marker) != null) {
            return;
        }
        transactions.putResource(marker, Boolean.TRUE);
        run(transactions, action);
    }

    /** Runs {@code action} after commit. */
    public static void run(TransactionSynchronizationRegistry transactions, Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }

    private record Marker(Object key) {
    }
}
