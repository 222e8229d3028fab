package com.activityfeed.social.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A thread's new title. */
@Schema(name = "ThreadRename", additionalProperties = Schema.False.class)
public record ThreadRename(@Schema(required = true, minLength = 1, maxLength = 120) String title) {
}
