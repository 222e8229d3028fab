package com.activityfeed.feed.events;

import com.activityfeed.feed.sql.BatchWrites;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.util.List;

/**
 * Stores new event rows for the consumer, as one batch per grouping pass ({@link BatchWrites}).
 * The consumer checks which ids are new under the tenant's log lock first, so a row is never
 * offered twice; should one be, the unique key fails the batch's transaction and the redelivery
 * finds the row stored.
 */
@ApplicationScoped
public class EventWriter {
    private final BatchWrites writes;

    EventWriter(BatchWrites writes) {
        this.writes = writes;
    }

    /** Inserts {@code rows} in their order on {@code c}; they are written when this returns. */
    public void insert(Connection c, List<StoredEvent> rows) {
        if (!rows.isEmpty()) {
            writes.on(c, session -> session.insertMultiple(rows));
        }
    }
}
