package com.activityfeed.feed.tiles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Resolves a folded tile's id (or a group member's event id) to its group. */
public final class TileAliases {
    private TileAliases() {
    }

    /** The group {@code id} is an alias of within {@code tenant}, else {@code id} itself. */
    public static UUID resolve(Connection connection, String tenant, UUID id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT group_id FROM tile_alias WHERE alias_id = ? AND tenant_id = ?")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : id;
            }
        }
    }
}
