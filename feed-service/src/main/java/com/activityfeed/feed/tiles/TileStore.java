package com.activityfeed.feed.tiles;

import com.activityfeed.messages.MessageCodec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;

/** Writes and locks tile rows for the grouping and housekeeping transactions. */
@ApplicationScoped
public class TileStore {
    public TileRow lock(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT tenant_id, kind, type, source, priority, occurred_at, latest_at, count, tags, actor_ids,
                       entity_types, entity_ids, expires_at, content_seq, last_seq, body
                FROM tile WHERE id = ? FOR UPDATE""")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                TileRow t = new TileRow(id, rs.getString(1), rs.getString(3));
                t.kind = rs.getString(2);
                t.source = rs.getString(4);
                t.priority = rs.getString(5);
                t.occurredAt = rs.getTimestamp(6).toInstant();
                t.latestAt = rs.getTimestamp(7).toInstant();
                t.count = rs.getInt(8);
                t.tags.addAll(Arrays.asList((String[]) rs.getArray(9).getArray()));
                t.actorIds.addAll(Arrays.asList((String[]) rs.getArray(10).getArray()));
                t.entityTypes.addAll(Arrays.asList((String[]) rs.getArray(11).getArray()));
                t.entityIds.addAll(Arrays.asList((String[]) rs.getArray(12).getArray()));
                Timestamp expires = rs.getTimestamp(13);
                t.expiresAt = expires == null ? null : expires.toInstant();
                t.contentSeq = rs.getLong(14);
                t.lastSeq = rs.getLong(15);
                t.body = (ObjectNode) MessageCodec.mapper().readTree(rs.getString(16));
                return t;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("tile " + id + " holds unreadable JSON", e);
            }
        }
    }

    /**
     * Inserts or replaces {@code tiles} as one JDBC batch of upserts, which the driver sends as
     * multi-row statements ({@code reWriteBatchedInserts}). Kept on JDBC by issue 16's rule:
     * Hibernate's {@code upsertMultiple} runs an update and, where it finds no row, an insert, one
     * row at a time: {@code HotPathPersistenceBench} measured 526 µs per tile against 122 µs.
     * {@code tiles} must not hold one id twice (one multi-row upsert cannot touch a row twice).
     */
    public void upsert(Connection c, Collection<TileRow> tiles) throws SQLException {
        if (tiles.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tile (id, tenant_id, kind, type, source, priority, occurred_at, latest_at, count, tags,
                                  actor_ids, entity_types, entity_ids, expires_at, content_seq, last_seq, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, latest_at = excluded.latest_at,
                    count = excluded.count, tags = excluded.tags, actor_ids = excluded.actor_ids,
                    entity_types = excluded.entity_types, entity_ids = excluded.entity_ids,
                    expires_at = excluded.expires_at, content_seq = excluded.content_seq,
                    last_seq = excluded.last_seq, body = excluded.body""")) {
            for (TileRow t : tiles) {
                ps.setObject(1, t.id);
                ps.setString(2, t.tenant);
                ps.setString(3, t.kind);
                ps.setString(4, t.type);
                ps.setString(5, t.source);
                ps.setString(6, t.priority);
                ps.setTimestamp(7, Timestamp.from(t.occurredAt));
                ps.setTimestamp(8, Timestamp.from(t.latestAt));
                ps.setInt(9, t.count);
                ps.setArray(10, text(c, t.tags));
                ps.setArray(11, text(c, t.actorIds));
                ps.setArray(12, text(c, t.entityTypes));
                ps.setArray(13, text(c, t.entityIds));
                ps.setTimestamp(14, t.expiresAt == null ? null : Timestamp.from(t.expiresAt));
                ps.setLong(15, t.contentSeq);
                ps.setLong(16, t.lastSeq);
                ps.setString(17, MessageCodec.write(t.body));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void delete(Connection c, Collection<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM tile WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            ps.executeUpdate();
        }
    }

    private static Array text(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }
}
