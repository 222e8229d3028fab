package com.activityfeed.feed.erasure;

import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.feed.tiles.TileBuilder;
import com.activityfeed.feed.tiles.TileJson;
import com.activityfeed.feed.tiles.TileRow;
import com.activityfeed.feed.tiles.TileRows;
import com.activityfeed.feed.tiles.TileSocialStore;
import com.activityfeed.feed.tiles.TileStore;
import com.activityfeed.messages.Actor;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.ReactionCounts;
import com.activityfeed.messages.TileRef;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * feed-service's part of an erasure (SPEC §6a), in the caller's transaction under the tenant's log
 * lock. A person's events keep their place without the person: the raw event (so a rebuild keeps
 * the erasure) gets the erased actor, no producer texts, no payload and no change; their tiles are
 * rebuilt from the rewritten events and announced as {@code activity.event.updated}; their mirrored
 * reactions, read state, follows and stream tickets are deleted; the change log kept for replay is
 * scrubbed of them. A tenant's erasure deletes every row of the tenant. Running it again finds
 * nothing to change and appends nothing.
 */
@ApplicationScoped
public class FeedEraser {
    public static final Actor ERASED = new Actor("erased", "Deleted user");
    private static final Logger LOG = Logger.getLogger(FeedEraser.class);

    private final AgroalDataSource dataSource;
    private final TenantLog tenantLog;
    private final TileStore tiles;
    private final TileSocialStore social;
    private final TileBuilder builder;

    public FeedEraser(AgroalDataSource dataSource, TenantLog tenantLog, TileStore tiles, TileSocialStore social,
                      TileBuilder builder) {
        this.dataSource = dataSource;
        this.tenantLog = tenantLog;
        this.tiles = tiles;
        this.social = social;
        this.builder = builder;
    }

    /** What one erasure changed, counted for the log line (never which rows). */
    public record Erased(int events, int tiles, int reactions, int changes, int rows) {
    }

    /** Erases {@code userId} of {@code tenant}; must run inside a transaction. */
    public Erased eraseUser(String tenant, String userId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            TenantLog.Appender log = tenantLog.lock(c, tenant);
            Set<String> names = new LinkedHashSet<>();
            Set<UUID> tileIds = new LinkedHashSet<>();
            int events = rewriteEvents(c, tenant, userId, names, tileIds);
            for (UUID tileId : tileIds) {
                rebuildTile(c, log, tileId);
            }
            int reactions = removeReactions(c, log, tenant, userId);
            names.addAll(ticketNames(c, tenant, userId));
            int rows = deleteUserRows(c, tenant, userId);
            log.flush();
            int changes = ChangeLogScrubber.scrub(c, tenant, userId, names);
            Erased erased = new Erased(events, tileIds.size(), reactions, changes, rows);
            LOG.infof("erased a user of tenant %s: %d events, %d tiles, %d reactions, %d changes rewritten, %d rows deleted",
                    tenant, erased.events(), erased.tiles(), erased.reactions(), erased.changes(), erased.rows());
            return erased;
        }
    }

    /**
     * Deletes every row of {@code tenant} from every table that has a {@code tenant_id} column (found
     * in the catalog, so a new table is never forgotten), the erasure records excepted: they are the
     * audit of the erasure itself. Must run inside a transaction.
     */
    public int eraseTenant(String tenant) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            tenantLog.lock(c, tenant);
            int rows = 0;
            for (String table : tenantTables(c)) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ?")) {
                    ps.setString(1, tenant);
                    rows += ps.executeUpdate();
                }
            }
            LOG.infof("erased tenant %s: %d rows deleted", tenant, rows);
            return rows;
        }
    }

    static List<String> tenantTables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT c.table_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
                  AND c.table_name <> 'erasure_request'
                ORDER BY c.table_name""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add('"' + rs.getString(1).replace("\"", "\"\"") + '"');
            }
        }
        return tables;
    }

    private int rewriteEvents(Connection c, String tenant, String userId, Set<String> names, Set<UUID> tileIds)
            throws SQLException {
        Map<UUID, RawEvent> rewritten = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, body, actor_name, tile_id FROM event WHERE tenant_id = ? AND actor_id = ? ORDER BY pos FOR UPDATE")) {
            ps.setString(1, tenant);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RawEvent e = MessageCodec.readRawEvent(rs.getString(2));
                    if (rs.getString(3) != null) {
                        names.add(rs.getString(3));
                    }
                    UUID tileId = rs.getObject(4, UUID.class);
                    if (tileId != null) {
                        tileIds.add(tileId);
                    }
                    rewritten.put(rs.getObject(1, UUID.class), withoutPerson(e));
                }
            }
        }
        if (rewritten.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE event SET actor_id = ?, actor_name = ?, body = ?::jsonb WHERE id = ?")) {
            for (Map.Entry<UUID, RawEvent> e : rewritten.entrySet()) {
                ps.setString(1, ERASED.id());
                ps.setString(2, ERASED.name());
                ps.setString(3, MessageCodec.write(e.getValue()));
                ps.setObject(4, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return rewritten.size();
    }

    /**
     * The event without the person: the erased actor, the producer's title and description dropped
     * (the catalog's texts are rendered instead), no payload and no change. Entity, type, times,
     * tags and ids stay, so the event keeps its place and its group.
     */
    static RawEvent withoutPerson(RawEvent e) {
        return new RawEvent(e.v(), e.id(), e.tenantId(), e.type(), ERASED, e.entity(), e.occurredAt(), e.receivedAt(),
                null, null, e.source(), e.priority(), e.tags(), e.correlationId(), e.expiresAt(), null, null,
                e.idempotencyKey());
    }

    /** Rebuilds a tile from its (rewritten) members, keeping its place, content and social counts. */
    private void rebuildTile(Connection c, TenantLog.Appender log, UUID tileId) throws SQLException {
        TileRow tile = tiles.lock(c, tileId);
        if (tile == null) {
            return;
        }
        List<RawEvent> members = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT body FROM event WHERE tile_id = ? AND NOT expired ORDER BY pos")) {
            ps.setObject(1, tileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(MessageCodec.readRawEvent(rs.getString(1)));
                }
            }
        }
        if (members.isEmpty()) {
            return;
        }
        TileRow rebuilt = "single".equals(tile.kind)
                ? TileRows.single(tile.tenant, members.getFirst(), builder)
                : TileRows.group(tile.tenant, tileId, members, builder);
        // an erasure is not new content: the tile keeps its place and does not turn unread
        rebuilt.contentSeq = tile.contentSeq;
        rebuilt.occurredAt = tile.occurredAt;
        rebuilt.body.set("occurredAt", tile.body.get("occurredAt"));
        TileSocialStore.Social counts = social.get(c, tileId);
        rebuilt.lastSeq = log.add(seq -> new TenantLog.Entry(FeedEvents.TILE_UPDATED, tileId,
                new TileRef(tileId, rebuilt.kind, new ArrayList<>(rebuilt.actorIds)), null, List.of(tile.type), null,
                TileJson.shared(rebuilt.body, counts, seq, rebuilt.contentSeq)));
        tiles.upsert(c, List.of(rebuilt));
    }

    /**
     * Deletes the person's mirrored reactions and announces each tile's new counts. social-service
     * removes the reactions themselves and announces the same counts; whichever comes second changes
     * nothing, so the counts are right in either order.
     */
    private int removeReactions(Connection c, TenantLog.Appender log, String tenant, String userId) throws SQLException {
        Map<UUID, List<String>> removed = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM tile_reaction WHERE tenant_id = ? AND user_id = ? RETURNING tile_id, type")) {
            ps.setString(1, tenant);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    removed.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        int n = 0;
        for (Map.Entry<UUID, List<String>> tile : removed.entrySet()) {
            UUID tileId = tile.getKey();
            ReactionCounts counts = counts(c, tileId);
            String type = tileType(c, tileId);
            long seq = 0;
            for (String reactionType : tile.getValue()) {
                ObjectNode data = MessageCodec.mapper().createObjectNode();
                data.put("tileId", tileId.toString());
                data.set("counts", MessageCodec.mapper().valueToTree(counts));
                data.put("actorId", ERASED.id());
                data.put("reactionType", reactionType);
                data.put("action", "removed");
                seq = log.add(new TenantLog.Entry(FeedEvents.REACTION_UPDATED, tileId, null, null,
                        type == null ? List.of() : List.of(type), null, data));
                n++;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tile_social (tile_id, tenant_id, hype, respect, tribute, last_seq) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (tile_id) DO UPDATE SET hype = excluded.hype, respect = excluded.respect,
                        tribute = excluded.tribute, last_seq = excluded.last_seq""")) {
                ps.setObject(1, tileId);
                ps.setString(2, tenant);
                ps.setLong(3, counts.hype());
                ps.setLong(4, counts.respect());
                ps.setLong(5, counts.tribute());
                ps.setLong(6, seq);
                ps.executeUpdate();
            }
        }
        return n;
    }

    private static ReactionCounts counts(Connection c, UUID tileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT type, count(*) FROM tile_reaction WHERE tile_id = ? GROUP BY type")) {
            ps.setObject(1, tileId);
            try (ResultSet rs = ps.executeQuery()) {
                return ReactionCounts.fromRows(rs);
            }
        }
    }

    private static String tileType(Connection c, UUID tileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT type FROM tile WHERE id = ?")) {
            ps.setObject(1, tileId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static List<String> ticketNames(Connection c, String tenant, String userId) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT user_name FROM stream_ticket WHERE tenant_id = ? AND user_id = ?"
                        + " UNION SELECT user_name FROM stream_cookie WHERE tenant_id = ? AND user_id = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, userId);
            ps.setString(3, tenant);
            ps.setString(4, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /**
     * The person's own rows: read state, stream tickets and cookies, and follows (any table whose name starts
     * with {@code follow} and that has {@code tenant_id} and {@code user_id}: the user's follows,
     * and where it has {@code actor_id}, other users' follows of the person).
     */
    private static int deleteUserRows(Connection c, String tenant, String userId) throws SQLException {
        int rows = 0;
        for (String table : List.of("read_watermark", "tile_read", "stream_ticket", "stream_cookie")) {
            rows += deleteWhere(c, table, "user_id", tenant, userId);
        }
        Map<String, Set<String>> follows = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT c.table_name, c.column_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name LIKE 'follow%'
                  AND c.column_name IN ('tenant_id', 'user_id', 'actor_id')""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                follows.computeIfAbsent(rs.getString(1), k -> new LinkedHashSet<>()).add(rs.getString(2));
            }
        }
        for (Map.Entry<String, Set<String>> table : follows.entrySet()) {
            if (table.getValue().contains("tenant_id") && table.getValue().contains("user_id")) {
                rows += deleteWhere(c, table.getKey(), "user_id", tenant, userId);
            }
            if (table.getValue().contains("tenant_id") && table.getValue().contains("actor_id")) {
                rows += deleteWhere(c, table.getKey(), "actor_id", tenant, userId);
            }
        }
        return rows;
    }

    private static int deleteWhere(Connection c, String table, String column, String tenant, String value)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM \"" + table.replace("\"", "\"\"") + "\" WHERE tenant_id = ? AND " + column + " = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, value);
            return ps.executeUpdate();
        }
    }
}
