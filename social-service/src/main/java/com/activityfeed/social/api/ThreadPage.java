package com.activityfeed.social.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A page of threads. */
@Schema(name = "ThreadPage")
public record ThreadPage(
        @Schema(required = true) List<Thread> items,
        @Schema(required = true, nullable = true, description = "pass as cursor for the next page; null on the last")
        String nextCursor) {
}
