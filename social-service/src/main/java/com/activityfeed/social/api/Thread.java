package com.activityfeed.social.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A chat thread, optionally about a tile. */
@Schema(name = "Thread")
public record Thread(
        @Schema(required = true, format = "uuid") String id,
        @Schema(required = true, maxLength = 120) String title,
        @Schema(required = true, nullable = true, format = "uuid", description = "the tile it discusses") String tileId,
        @Schema(required = true, format = "date-time") String createdAt,
        @Schema(required = true, format = "date-time") String updatedAt) {
}
