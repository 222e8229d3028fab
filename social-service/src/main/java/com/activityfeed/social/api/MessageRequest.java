package com.activityfeed.social.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a new chat message: plain text, 1 to 2000 characters after trimming. */
@Schema(name = "MessageRequest", additionalProperties = Schema.False.class)
public record MessageRequest(@Schema(required = true, minLength = 1, maxLength = 2000) String body) {
}
