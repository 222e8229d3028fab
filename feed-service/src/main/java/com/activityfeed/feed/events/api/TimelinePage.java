package com.activityfeed.feed.events.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A page of one entity's timeline, oldest first. */
@Schema(name = "TimelinePage")
public record TimelinePage(
        @Schema(required = true) List<LoggedEvent> items,
        @Schema(required = true, nullable = true, description = "pass as since for the next page; null at the end")
        String nextCursor) {
}
