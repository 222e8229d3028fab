package com.activityfeed.social.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a new comment: plain text, 1 to 500 characters after trimming. */
@Schema(name = "CommentRequest", additionalProperties = Schema.False.class)
public record CommentRequest(@Schema(required = true, minLength = 1, maxLength = 500) String body) {
}
