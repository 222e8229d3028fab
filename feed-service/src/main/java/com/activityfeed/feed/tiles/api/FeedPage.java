package com.activityfeed.feed.tiles.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** One page of the feed. */
@Schema(name = "FeedPage")
public record FeedPage(
        @Schema(required = true) List<Tile> items,
        @Schema(required = true, nullable = true, description = "pass as cursor for the next page; null at the end")
        String nextCursor) {
}
