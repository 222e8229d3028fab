package com.activityfeed.social.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A comment on a tile. */
@Schema(name = "Comment")
public record Comment(
        @Schema(required = true, format = "uuid") String id,
        @Schema(required = true, format = "uuid", description = "a folded tile's comments are its group's") String tileId,
        @Schema(required = true) String authorId,
        @Schema(required = true, nullable = true, description = "the token's name claim when the comment was made") String authorName,
        @Schema(required = true, minLength = 1, maxLength = 500) String body,
        @Schema(required = true, format = "date-time") String createdAt) {
}
