package com.activityfeed.feed.tiles;

import com.activityfeed.feed.sql.BatchWrites;
import com.activityfeed.messages.MessageCodec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Writes and locks tile rows for the grouping and housekeeping transactions. */
@ApplicationScoped
public class TileStore {
    private final BatchWrites writes;

    TileStore(BatchWrites writes) {
        this.writes = writes;
    }

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

    /** Inserts or replaces {@code tiles} on {@code c}, in the caller's transaction, as one batch. */
    public void upsert(Connection c, Collection<TileRow> tiles) {
        if (!tiles.isEmpty()) {
            List<StoredTile> rows = tiles.stream().map(StoredTile::of).toList();
            writes.on(c, session -> session.upsertMultiple(rows));
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
}
