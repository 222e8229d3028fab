package com.activityfeed.feed.social;

import com.activityfeed.messages.MessageCodec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * The feed tile a social update lands on: the named tile, or its group when it has been folded.
 *
 * @param types the tile's event type, for the stream's {@code types} filter (empty if the feed no longer has it)
 */
record TileTarget(UUID id, List<String> types) {

    /**
     * Resolves the alias and share-locks the tile row (after the tenant's sequence row, the feed
     * core's lock order), so that a fold of this tile either finished before (and the update lands
     * on the group) or waits until this update is applied (and the fold then moves it with the rest).
     */
    static TileTarget lock(Connection c, String tenant, UUID tileId) throws SQLException {
        if (tileId == null) {
            throw new MessageCodec.MalformedMessageException("social update without a tileId");
        }
        String own = lockRow(c, tenant, tileId);
        UUID target = resolve(c, tenant, tileId);
        String type = target.equals(tileId) ? own : lockRow(c, tenant, target);
        return new TileTarget(target, type == null ? List.of() : List.of(type));
    }

    /** The group {@code id} is an alias of within {@code tenant}, else {@code id} itself. */
    static UUID resolve(Connection c, String tenant, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT group_id FROM tile_alias WHERE alias_id = ? AND tenant_id = ?")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : id;
            }
        }
    }

    private static String lockRow(Connection c, String tenant, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT type FROM tile WHERE id = ? AND tenant_id = ? FOR SHARE")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
