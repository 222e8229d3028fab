package com.activityfeed.feed.housekeeping;

import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.feed.tiles.TileBuilder;
import com.activityfeed.feed.tiles.TileJson;
import com.activityfeed.feed.tiles.TileRow;
import com.activityfeed.feed.tiles.TileRows;
import com.activityfeed.feed.tiles.TileSocialStore;
import com.activityfeed.feed.tiles.TileStore;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.TileRef;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Acts by the clock, after grouping: an expired event leaves its tile (a single is removed, a
 * group shrinks and an empty group is removed, each with a change), and the change log is pruned
 * to its retention. Expiry never touches grouping windows, so a rebuild still groups identically.
 */
@ApplicationScoped
public class HousekeepingService {
    public static final String REASON_EXPIRED = "expired";

    private final AgroalDataSource dataSource;
    private final TenantLog tenantLog;
    private final TileStore tiles;
    private final TileSocialStore social;
    private final TileBuilder builder;
    private final HousekeepingConfig config;

    public HousekeepingService(AgroalDataSource dataSource, TenantLog tenantLog, TileStore tiles, TileSocialStore social,
                               TileBuilder builder, HousekeepingConfig config) {
        this.dataSource = dataSource;
        this.tenantLog = tenantLog;
        this.tiles = tiles;
        this.social = social;
        this.builder = builder;
        this.config = config;
    }

    /**
     * Events due to expire, earliest first: a walk of the partial index {@code event_expiry}, so a
     * look that finds nothing costs nothing whatever the table holds. (Ordered by tenant and arrival,
     * as before, the generic plan PostgreSQL may cache for a prepared statement walked the whole
     * event table in that order: 118 ms on 300 000 events, at every look.)
     */
    static final String DUE_SQL = """
            SELECT tenant_id, id, pos FROM event WHERE expires_at <= ? AND NOT expired
            ORDER BY expires_at LIMIT ?""";

    /** Expires up to one batch of due events; returns how many. */
    @Transactional
    public int expireDue(Instant now) {
        try (Connection c = dataSource.getConnection()) {
            // tenants in order (the order locks are taken in), each tenant's events in arrival order
            Map<String, TreeMap<Long, UUID>> dueByTenant = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(DUE_SQL)) {
                ps.setObject(1, java.sql.Timestamp.from(now));
                ps.setInt(2, config.expiryBatch());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        dueByTenant.computeIfAbsent(rs.getString(1), t -> new TreeMap<>())
                                .put(rs.getLong(3), rs.getObject(2, UUID.class));
                    }
                }
            }
            int expired = 0;
            for (Map.Entry<String, TreeMap<Long, UUID>> tenant : dueByTenant.entrySet()) {
                TenantLog.Appender log = tenantLog.lock(c, tenant.getKey());
                for (UUID id : tenant.getValue().values()) {
                    expired += expire(c, log, id);
                }
                log.flush();
            }
            return expired;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot expire events", e);
        }
    }

    private int expire(Connection c, TenantLog.Appender log, UUID eventId) throws SQLException {
        String tenant = log.tenant();
        UUID tileId;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE event SET expired = true WHERE id = ? AND NOT expired RETURNING tile_id""")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                tileId = rs.getObject(1, UUID.class);
            }
        }
        if (tileId == null) {
            return 1;
        }
        TileRow tile = tiles.lock(c, tileId);
        if (tile == null) {
            return 1;
        }
        List<RawEvent> remaining = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT body FROM event WHERE tile_id = ? AND NOT expired ORDER BY pos")) {
            ps.setObject(1, tileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    remaining.add(MessageCodec.readRawEvent(rs.getString(1)));
                }
            }
        }
        List<String> actorIds = new ArrayList<>(tile.actorIds);
        if (remaining.isEmpty() || "single".equals(tile.kind)) {
            tiles.delete(c, List.of(tileId));
            ObjectNode data = MessageCodec.mapper().createObjectNode();
            data.put("tileId", tileId.toString());
            data.put("reason", REASON_EXPIRED);
            log.add(new TenantLog.Entry(FeedEvents.TILE_REMOVED, tileId,
                    new TileRef(tileId, tile.kind, actorIds), null, List.of(tile.type), null, data));
        } else {
            TileRow shrunk = TileRows.group(tenant, tileId, remaining, builder);
            // losing a member is not new content: contentSeq stays, so it does not turn unread
            shrunk.contentSeq = tile.contentSeq;
            // tiles never move: the group keeps its place even when its first member expired
            shrunk.occurredAt = tile.occurredAt;
            shrunk.body.set("occurredAt", tile.body.get("occurredAt"));
            TileSocialStore.Social counts = social.get(c, tileId);
            shrunk.lastSeq = log.add(seq -> new TenantLog.Entry(FeedEvents.TILE_UPDATED, tileId,
                    new TileRef(tileId, shrunk.kind, new ArrayList<>(shrunk.actorIds)), null, List.of(tile.type), null,
                    TileJson.shared(shrunk.body, counts, seq, shrunk.contentSeq)));
            tiles.upsert(c, List.of(shrunk));
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE event SET tile_id = NULL WHERE id = ?")) {
            ps.setObject(1, eventId);
            ps.executeUpdate();
        }
        return 1;
    }

    /** Drops changes older than the retention or beyond the per-tenant maximum; never one still to be relayed. */
    @Transactional
    public int pruneChanges(Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                DELETE FROM change_log l USING tenant_seq s
                WHERE l.tenant_id = s.tenant_id
                  AND (l.created_at < ? OR l.seq <= s.last_seq - ?)
                  AND NOT EXISTS (SELECT 1 FROM change_outbox o WHERE o.tenant_id = l.tenant_id AND o.seq = l.seq)""")) {
            ps.setObject(1, java.sql.Timestamp.from(now.minus(config.changeRetention())));
            ps.setLong(2, config.maxChangesPerTenant());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prune the change log", e);
        }
    }
}
