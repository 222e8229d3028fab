package com.activityfeed.social.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A page of comments. */
@Schema(name = "CommentPage")
public record CommentPage(
        @Schema(required = true) List<Comment> items,
        @Schema(required = true, nullable = true, description = "pass as cursor for the next page; null on the last")
        String nextCursor) {
}
