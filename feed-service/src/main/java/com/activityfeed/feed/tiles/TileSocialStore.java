package com.activityfeed.feed.tiles;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * The feed core's side of the social mirror (tile_social, tile_reaction, written by the social
 * relay): moving folded tiles' reactions and comment counts to their group, and reading them.
 */
@ApplicationScoped
public class TileSocialStore {
    public record Social(long hype, long respect, long tribute, long commentCount, long lastSeq) {
        public static final Social NONE = new Social(0, 0, 0, 0, 0);
    }

    /**
     * Folded tiles' reactions move to the group, one per user and type (a user who gave the same
     * reaction to two folded tiles keeps one); counts are recounted from the moved reactions and
     * comment counts add up, so nothing is lost and nothing counts twice.
     */
    public void moveToGroup(Connection c, String tenant, UUID groupId, List<UUID> folded) throws SQLException {
        if (folded.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tile_reaction (tile_id, user_id, type, tenant_id)
                SELECT ?, user_id, type, tenant_id FROM tile_reaction WHERE tile_id = ANY(?) AND tenant_id = ?
                ON CONFLICT DO NOTHING;
                DELETE FROM tile_reaction WHERE tile_id = ANY(?) AND tenant_id = ?;
                INSERT INTO tile_social (tile_id, tenant_id, hype, respect, tribute, comment_count, last_seq)
                SELECT ?, ?,
                       (SELECT count(*) FROM tile_reaction WHERE tile_id = ? AND type = 'hype'),
                       (SELECT count(*) FROM tile_reaction WHERE tile_id = ? AND type = 'respect'),
                       (SELECT count(*) FROM tile_reaction WHERE tile_id = ? AND type = 'tribute'),
                       coalesce((SELECT sum(comment_count) FROM tile_social WHERE tile_id = ANY(?) OR tile_id = ?), 0),
                       coalesce((SELECT max(last_seq) FROM tile_social WHERE tile_id = ANY(?) OR tile_id = ?), 0)
                ON CONFLICT (tile_id) DO UPDATE SET hype = excluded.hype, respect = excluded.respect,
                    tribute = excluded.tribute, comment_count = excluded.comment_count, last_seq = excluded.last_seq;
                DELETE FROM tile_social WHERE tile_id = ANY(?) AND tenant_id = ?""")) {
            java.sql.Array ids = c.createArrayOf("uuid", folded.toArray());
            int i = 1;
            ps.setObject(i++, groupId);
            ps.setArray(i++, ids);
            ps.setString(i++, tenant);
            ps.setArray(i++, ids);
            ps.setString(i++, tenant);
            ps.setObject(i++, groupId);
            ps.setString(i++, tenant);
            ps.setObject(i++, groupId);
            ps.setObject(i++, groupId);
            ps.setObject(i++, groupId);
            ps.setArray(i++, ids);
            ps.setObject(i++, groupId);
            ps.setArray(i++, ids);
            ps.setObject(i++, groupId);
            ps.setArray(i++, ids);
            ps.setString(i, tenant);
            ps.execute();
        }
    }

    public Social get(Connection c, UUID tileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT hype, respect, tribute, comment_count, last_seq FROM tile_social WHERE tile_id = ?")) {
            ps.setObject(1, tileId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Social(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))
                        : Social.NONE;
            }
        }
    }
}
