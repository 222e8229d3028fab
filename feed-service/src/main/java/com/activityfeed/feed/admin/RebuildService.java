package com.activityfeed.feed.admin;

import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a tenant's tiles by re-running its raw event log (which keeps every event) through the
 * same grouping code, in arrival order, in one transaction. Group ids are name-based, so the
 * rebuilt tiles have the same ids and keep their reactions and comments. Expiry is applied again
 * by the next housekeeping run.
 */
@ApplicationScoped
public class RebuildService {
    private static final int CHUNK = 1000;

    private final AgroalDataSource dataSource;
    private final EventIngestService ingest;
    private final TenantLog tenantLog;

    public RebuildService(AgroalDataSource dataSource, EventIngestService ingest, TenantLog tenantLog) {
        this.dataSource = dataSource;
        this.ingest = ingest;
        this.tenantLog = tenantLog;
    }

    public record Rebuilt(String tenant, long events) {
    }

    @Transactional
    public Rebuilt rebuild(String tenant) {
        long count = 0;
        try (Connection c = dataSource.getConnection()) {
            // held until commit: no event, reaction or expiry of the tenant lands between wipe and regroup
            tenantLog.lock(c, tenant);
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM tile WHERE tenant_id = ?;
                    DELETE FROM tile_alias WHERE tenant_id = ?;
                    DELETE FROM grouping_window WHERE tenant_id = ?;
                    UPDATE event SET tile_id = NULL, expired = false WHERE tenant_id = ?""")) {
                for (int i = 1; i <= 4; i++) {
                    ps.setString(i, tenant);
                }
                ps.execute();
            }
            long after = 0;
            while (true) {
                List<RawEvent> chunk = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT pos, body FROM event WHERE tenant_id = ? AND pos > ? ORDER BY pos LIMIT ?")) {
                    ps.setString(1, tenant);
                    ps.setLong(2, after);
                    ps.setInt(3, CHUNK);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            after = rs.getLong(1);
                            chunk.add(MessageCodec.readRawEvent(rs.getString(2)));
                        }
                    }
                }
                if (chunk.isEmpty()) {
                    return new Rebuilt(tenant, count);
                }
                ingest.regroup(tenant, chunk);
                count += chunk.size();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot rebuild " + tenant, e);
        }
    }
}
