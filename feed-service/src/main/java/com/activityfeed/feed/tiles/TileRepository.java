package com.activityfeed.feed.tiles;

import com.activityfeed.messages.MessageCodec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class TileRepository {
    private final AgroalDataSource dataSource;

    public TileRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Page newest(String tenant, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT id, kind, type, count, body FROM tile WHERE tenant_id = ?
                     ORDER BY occurred_at DESC, id DESC LIMIT ?""")) {
            ps.setString(1, tenant);
            ps.setInt(2, limit);
            List<Tile> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode event = MessageCodec.mapper().readTree(rs.getString("body"));
                    items.add(new Tile(rs.getString("id"), rs.getString("kind"), rs.getString("type"),
                            event.path("occurredAt").asText(), rs.getInt("count"), event.get("actor"),
                            event.get("entity"), event.get("payload")));
                }
            }
            return new Page(items, null);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read the feed", e);
        }
    }

    public record Tile(String id, String kind, String type, String occurredAt, int count, JsonNode actor,
                       JsonNode entity, JsonNode payload) {
    }

    public record Page(List<Tile> items, String nextCursor) {
    }
}
