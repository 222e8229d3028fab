package com.activityfeed.feed.events.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A page of the raw event log, in arrival order. */
@Schema(name = "EventLogPage")
public record EventLogPage(
        @Schema(required = true) List<LoggedEvent> items,
        @Schema(required = true, description = "never null: an empty poll hands back the same cursor; poll with it as since")
        String nextCursor) {
}
