package com.activityfeed.feed.events.api;

import com.activityfeed.feed.tiles.api.TileActor;
import com.activityfeed.feed.tiles.api.TileChange;
import com.activityfeed.feed.tiles.api.TileEntity;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * One event as ingest accepted it (defaults applied), with where and when the feed stored it.
 * Absent optional fields are left out, not null; an erased person's event has no payload and no
 * change.
 */
@Schema(name = "LoggedEvent")
public record LoggedEvent(
        @Schema(required = true, format = "uuid") String id,
        @Schema(required = true) String tenantId,
        @Schema(required = true) String type,
        TileActor actor,
        TileEntity entity,
        @Schema(required = true, format = "date-time") String occurredAt,
        @Schema(format = "date-time", description = "when ingest accepted it") String receivedAt,
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
        @Schema(required = true, format = "date-time", description = "when the feed stored it (arrival order)") String storedAt,
        @Schema(required = true, nullable = true, format = "uuid", description = "the tile showing it; null once it left the feed")
        String tileId) {
}
