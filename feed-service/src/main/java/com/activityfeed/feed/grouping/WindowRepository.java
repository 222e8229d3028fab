package com.activityfeed.feed.grouping;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Stores each tenant and key's newest window; reading locks the row for the caller's transaction. */
@ApplicationScoped
public class WindowRepository {
    public WindowState lock(Connection c, String tenant, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT start_at, end_at, count, singles, group_id FROM grouping_window
                WHERE tenant_id = ? AND key = ? FOR UPDATE""")) {
            ps.setString(1, tenant);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                UUID[] singles = (UUID[]) rs.getArray(4).getArray();
                return new WindowState(key, rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant(),
                        rs.getInt(3), Arrays.asList(singles), rs.getObject(5, UUID.class));
            }
        }
    }

    public void save(Connection c, String tenant, List<WindowState> windows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO grouping_window (tenant_id, key, start_at, end_at, count, singles, group_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, key) DO UPDATE SET start_at = excluded.start_at, end_at = excluded.end_at,
                    count = excluded.count, singles = excluded.singles, group_id = excluded.group_id""")) {
            for (WindowState w : windows) {
                ps.setString(1, tenant);
                ps.setString(2, w.key());
                ps.setTimestamp(3, Timestamp.from(w.start()));
                ps.setTimestamp(4, Timestamp.from(w.end()));
                ps.setInt(5, w.count());
                ps.setArray(6, c.createArrayOf("uuid", w.singles().toArray()));
                ps.setObject(7, w.groupId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
