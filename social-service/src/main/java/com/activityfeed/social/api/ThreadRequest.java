package com.activityfeed.social.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new thread; an empty body is a thread titled "New thread". */
@Schema(name = "ThreadRequest", additionalProperties = Schema.False.class)
public record ThreadRequest(
        @Schema(maxLength = 120, defaultValue = "New thread") String title,
        @Schema(maxLength = 64, description = "a tile to discuss; unknown or another tenant's: 404") String tileId) {
}
