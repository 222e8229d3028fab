package com.activityfeed.social.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A page of messages. */
@Schema(name = "MessagePage")
public record MessagePage(
        @Schema(required = true) List<Message> items,
        @Schema(required = true, nullable = true, description = "pass as cursor for the next page; null on the last")
        String nextCursor) {
}
