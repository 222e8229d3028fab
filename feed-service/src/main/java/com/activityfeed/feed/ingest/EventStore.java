package com.activityfeed.feed.ingest;

import com.activityfeed.feed.changes.ChangeLog;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.TileRef;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/** Stores an event and its tile once; a redelivered event changes nothing. */
@ApplicationScoped
public class EventStore {
    private final AgroalDataSource dataSource;
    private final ChangeLog changeLog;

    public EventStore(AgroalDataSource dataSource, ChangeLog changeLog) {
        this.dataSource = dataSource;
        this.changeLog = changeLog;
    }

    @Transactional
    public boolean store(RawEvent event) {
        String json = MessageCodec.write(event);
        try (Connection c = dataSource.getConnection()) {
            int inserted;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO event (id, tenant_id, type, occurred_at, received_at, body)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (id) DO NOTHING""")) {
                ps.setObject(1, event.id());
                ps.setString(2, event.tenantId());
                ps.setString(3, event.type());
                ps.setTimestamp(4, Timestamp.from(event.occurredAt()));
                ps.setTimestamp(5, Timestamp.from(event.receivedAt()));
                ps.setString(6, json);
                inserted = ps.executeUpdate();
            }
            if (inserted == 0) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tile (id, tenant_id, kind, type, occurred_at, latest_at, count, body)
                    VALUES (?, ?, 'single', ?, ?, ?, 1, ?::jsonb)""")) {
                ps.setObject(1, event.id());
                ps.setString(2, event.tenantId());
                ps.setString(3, event.type());
                ps.setTimestamp(4, Timestamp.from(event.occurredAt()));
                ps.setTimestamp(5, Timestamp.from(event.occurredAt()));
                ps.setString(6, json);
                ps.executeUpdate();
            }
            List<String> actors = event.actor() == null || event.actor().id() == null ? List.of() : List.of(event.actor().id());
            changeLog.append(c, event.tenantId(), new ChangeLog.Entry(FeedEvents.TILE_CREATED, event.id(),
                    new TileRef(event.id(), "single", actors), null, List.of(event.type()), event.receivedAt(),
                    MessageCodec.mapper().valueToTree(event)));
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store event " + event.id(), e);
        }
    }
}
