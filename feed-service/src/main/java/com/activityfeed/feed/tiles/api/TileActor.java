package com.activityfeed.feed.tiles.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Who did it, as the event named them. */
@Schema(name = "TileActor")
public record TileActor(
        @Schema(required = true) String id,
        @Schema(required = true, nullable = true) String name) {
}
