package com.activityfeed.feed.tiles.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A field's old and new value, as the event carried them. */
@Schema(name = "TileChange")
public record TileChange(
        @Schema(required = true, nullable = true) String field,
        @Schema(required = true, description = "any JSON value") Object from,
        @Schema(required = true, description = "any JSON value") Object to) {
}
