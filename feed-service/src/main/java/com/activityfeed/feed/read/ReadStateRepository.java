package com.activityfeed.feed.read;

import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.feed.tiles.FeedFilter;
import com.activityfeed.feed.tiles.TileAliases;
import com.activityfeed.feed.tiles.TileQueries;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Per-user read state: a watermark plus per-tile reads above it, both compared with contentSeq. */
@ApplicationScoped
public class ReadStateRepository {
    private final AgroalDataSource dataSource;
    private final TenantLog tenantLog;
    private final TileQueries queries;

    public ReadStateRepository(AgroalDataSource dataSource, TenantLog tenantLog, TileQueries queries) {
        this.dataSource = dataSource;
        this.tenantLog = tenantLog;
        this.queries = queries;
    }

    /** Marks tiles (ids or aliases) read at their current content; ids the tenant does not have are ignored. */
    @Transactional
    public TileQueries.Unread markRead(String tenant, String user, List<UUID> tileIds) {
        try (Connection c = dataSource.getConnection()) {
            Set<UUID> resolved = new LinkedHashSet<>();
            for (UUID id : tileIds) {
                resolved.add(TileAliases.resolve(c, tenant, id));
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tile_read (tenant_id, user_id, tile_id, content_seq)
                    SELECT t.tenant_id, ?, t.id, t.content_seq FROM tile t WHERE t.tenant_id = ? AND t.id = ANY(?)
                    ON CONFLICT (tenant_id, user_id, tile_id) DO UPDATE
                        SET content_seq = greatest(tile_read.content_seq, excluded.content_seq)""")) {
                ps.setString(1, user);
                ps.setString(2, tenant);
                ps.setArray(3, c.createArrayOf("uuid", resolved.toArray()));
                ps.executeUpdate();
            }
            return queries.unreadCount(c, tenant, user, FeedFilter.parse(null, null, null, null, null, null, null,
                    null, null, null));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot mark tiles read", e);
        }
    }

    /**
     * Moves the watermark to the tenant's newest change: every tile whose content is at or below it
     * is read. A tile still being written has a higher number (the tenant's sequence row is locked
     * until that commit), so it stays unread. Per-tile reads below the watermark are dropped.
     */
    @Transactional
    public TileQueries.Unread markAllRead(String tenant, String user) {
        try (Connection c = dataSource.getConnection()) {
            long seq = tenantLog.lastSeq(c, tenant);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO read_watermark (tenant_id, user_id, seq) VALUES (?, ?, ?)
                    ON CONFLICT (tenant_id, user_id) DO UPDATE SET seq = greatest(read_watermark.seq, excluded.seq);
                    DELETE FROM tile_read WHERE tenant_id = ? AND user_id = ? AND content_seq <= ?""")) {
                ps.setString(1, tenant);
                ps.setString(2, user);
                ps.setLong(3, seq);
                ps.setString(4, tenant);
                ps.setString(5, user);
                ps.setLong(6, seq);
                ps.execute();
            }
            return queries.unreadCount(c, tenant, user, FeedFilter.parse(null, null, null, null, null, null, null,
                    null, null, null));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot mark the feed read", e);
        }
    }
}
