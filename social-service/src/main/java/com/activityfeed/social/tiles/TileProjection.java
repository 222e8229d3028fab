package com.activityfeed.social.tiles;

import com.activityfeed.messages.TileRef;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

@ApplicationScoped
public class TileProjection {
    private final AgroalDataSource dataSource;

    public TileProjection(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional
    public void remember(String tenantId, TileRef tile) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO tile (id, tenant_id, kind, actor_ids) VALUES (?, ?, ?, ?)
                     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, actor_ids = excluded.actor_ids""")) {
            ps.setObject(1, tile.id());
            ps.setString(2, tenantId);
            ps.setString(3, tile.kind());
            ps.setArray(4, c.createArrayOf("text", tile.actorIds().toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot project tile " + tile.id(), e);
        }
    }
}
