package com.activityfeed.social.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A chat message. */
@Schema(name = "Message")
public record Message(
        @Schema(required = true, format = "uuid") String id,
        @Schema(required = true, nullable = true, format = "uuid", description = "null once its thread was deleted")
        String threadId,
        @Schema(required = true) String authorId,
        @Schema(required = true, nullable = true) String authorName,
        @Schema(required = true, minLength = 1, maxLength = 2000) String body,
        @Schema(required = true, format = "date-time") String createdAt) {
}
