package com.activityfeed.feed.events;

import com.activityfeed.feed.tiles.Cursors;
import com.activityfeed.messages.MessageCodec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The raw, append-only event log: arrival-ordered polling, one event, one entity's timeline. */
@ApplicationScoped
public class EventLogRepository {
    private final AgroalDataSource dataSource;

    public EventLogRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Page(List<ObjectNode> items, String nextCursor) {
        /** The {items, nextCursor} answer, written as a tree (tiles are JSON trees already). */
        public ObjectNode json() {
            ObjectNode page = MessageCodec.mapper().createObjectNode();
            page.putArray("items").addAll(items);
            page.put("nextCursor", nextCursor);
            return page;
        }
    }

    public record LogFilter(List<String> types, List<String> sources, String entityType, String entityId) {
    }

    /**
     * Events that arrived after {@code afterPos} (or at or after {@code sinceTime}), in arrival order.
     * The next cursor is never null: an empty page hands back a cursor at the same position.
     */
    public Page arrivals(String tenant, Long afterPos, Instant sinceTime, LogFilter filter, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT pos, body, tile_id, stored_at FROM event WHERE tenant_id = ?");
        params.add(tenant);
        long start = afterPos == null ? 0 : afterPos;
        if (sinceTime != null) {
            // a time is turned into the position before the first event stored at or after it
            sql.append(" AND pos > coalesce((SELECT max(pos) FROM event WHERE tenant_id = ? AND stored_at < ?), 0)");
            params.add(tenant);
            params.add(Timestamp.from(sinceTime));
        } else {
            sql.append(" AND pos > ?");
            params.add(start);
        }
        appendFilter(sql, params, filter);
        sql.append(" ORDER BY pos LIMIT ?");
        params.add(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(c, ps, params);
            List<ObjectNode> items = new ArrayList<>();
            long last = start;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    items.add(event(rs.getString(2), rs.getObject(3, UUID.class), rs.getTimestamp(4)));
                }
            }
            if (items.isEmpty() && sinceTime != null) {
                last = positionBefore(c, tenant, sinceTime);
            }
            return new Page(items, Cursors.log(last));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the event log", e);
        }
    }

    private long positionBefore(Connection c, String tenant, Instant time) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(pos), 0) FROM event WHERE tenant_id = ? AND stored_at < ?")) {
            ps.setString(1, tenant);
            ps.setTimestamp(2, Timestamp.from(time));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One entity's events, oldest first by (occurredAt, id). */
    public Page timeline(String tenant, String entityType, String entityId, Cursors.FeedPosition after, Instant since,
                         int limit) {
        List<Object> params = new ArrayList<>(List.of(tenant, entityType, entityId));
        StringBuilder sql = new StringBuilder("""
                SELECT occurred_at, id, body, tile_id, stored_at FROM event
                WHERE tenant_id = ? AND entity_type = ? AND entity_id = ?""");
        if (after != null) {
            sql.append(" AND (occurred_at, id) > (?, ?)");
            params.add(Timestamp.from(after.occurredAt()));
            params.add(after.id());
        } else if (since != null) {
            sql.append(" AND occurred_at >= ?");
            params.add(Timestamp.from(since));
        }
        sql.append(" ORDER BY occurred_at, id LIMIT ?");
        params.add(limit + 1);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(c, ps, params);
            List<ObjectNode> items = new ArrayList<>();
            Instant lastAt = null;
            UUID lastId = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (items.size() == limit) {
                        return new Page(items, Cursors.timeline(lastAt, lastId));
                    }
                    lastAt = rs.getTimestamp(1).toInstant();
                    lastId = rs.getObject(2, UUID.class);
                    items.add(event(rs.getString(3), rs.getObject(4, UUID.class), rs.getTimestamp(5)));
                }
            }
            return new Page(items, null);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the timeline", e);
        }
    }

    /** One event of the tenant with the id of the tile showing it, or null. */
    public ObjectNode event(String tenant, UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT body, tile_id, stored_at FROM event WHERE tenant_id = ? AND id = ?")) {
            ps.setString(1, tenant);
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? event(rs.getString(1), rs.getObject(2, UUID.class), rs.getTimestamp(3)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read event " + id, e);
        }
    }

    private static ObjectNode event(String body, UUID tileId, Timestamp storedAt) throws SQLException {
        try {
            ObjectNode e = (ObjectNode) MessageCodec.mapper().readTree(body);
            e.remove("v");
            e.put("storedAt", storedAt.toInstant().toString());
            e.put("tileId", tileId == null ? null : tileId.toString());
            return e;
        } catch (JsonProcessingException ex) {
            throw new SQLException("unreadable event JSON", ex);
        }
    }

    private static void appendFilter(StringBuilder sql, List<Object> params, LogFilter filter) {
        if (!filter.types().isEmpty()) {
            sql.append(" AND type = ANY(?::text[])");
            params.add(filter.types().toArray(String[]::new));
        }
        if (!filter.sources().isEmpty()) {
            sql.append(" AND source = ANY(?::text[])");
            params.add(filter.sources().toArray(String[]::new));
        }
        if (filter.entityType() != null) {
            sql.append(" AND entity_type = ?");
            params.add(filter.entityType());
        }
        if (filter.entityId() != null) {
            sql.append(" AND entity_id = ?");
            params.add(filter.entityId());
        }
    }

    private static void bind(Connection c, PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof String[] values) {
                ps.setArray(i + 1, c.createArrayOf("text", values));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }
}
