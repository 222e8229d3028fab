package com.activityfeed.feed.tiles.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What it was done to, as the event named it. */
@Schema(name = "TileEntity")
public record TileEntity(
        @Schema(required = true) String type,
        @Schema(required = true) String id,
        @Schema(required = true, nullable = true) String name) {
}
