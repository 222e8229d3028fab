package com.activityfeed.feed.tiles.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One member of a tile, newest first. */
@Schema(name = "TileSample")
public record TileSample(
        @Schema(required = true, format = "uuid") String eventId,
        @Schema(required = true, nullable = true) TileActor actor,
        @Schema(required = true, nullable = true) TileEntity entity,
        @Schema(required = true, format = "date-time") String occurredAt,
        @Schema(required = true, nullable = true, description = "the event's title, or its rendered description") String title) {
}
