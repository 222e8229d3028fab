package com.activityfeed.feed.events.api;

import com.activityfeed.feed.tiles.api.Tile;
import com.activityfeed.feed.tiles.api.TileActor;
import com.activityfeed.feed.tiles.api.TileChange;
import com.activityfeed.feed.tiles.api.TileEntity;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * One raw event, with the tile it belongs to (the fields of {@link LoggedEvent}, plus {@code tile}
 * as {@code GET /api/v1/feed/tiles/{id}} answers it, null once the event left the feed).
 */
@Schema(name = "EventDetail")
public record EventDetail(
        @Schema(required = true, format = "uuid") String id,
        @Schema(required = true) String tenantId,
        @Schema(required = true) String type,
        TileActor actor,
        TileEntity entity,
        @Schema(required = true, format = "date-time") String occurredAt,
        @Schema(format = "date-time") String receivedAt,
        String title,
        String description,
        String source,
        @Schema(enumeration = {"low", "normal", "high", "urgent"}) String priority,
        @Schema(required = true) List<String> tags,
        String correlationId,
        @Schema(format = "date-time") String expiresAt,
        TileChange change,
        Map<String, Object> payload,
        String idempotencyKey,
        @Schema(required = true, format = "date-time") String storedAt,
        @Schema(required = true, nullable = true, format = "uuid") String tileId,
        // no description here: with one, the generated schema loses its null alternative
        @Schema(required = true, nullable = true) Tile tile) {
}
