package com.activityfeed.feed.tiles.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * A tile as the feed answers it: the stored tile plus the reader's social and read state. The
 * nullable objects carry no description of their own: with one, the generated schema loses its
 * null alternative.
 */
@Schema(name = "Tile", description = "One event (kind single) or a group of events of one type (kind group). "
        + "actor and entity are the first member's; change and payload are null on a group.")
public record Tile(
        @Schema(required = true, format = "uuid", description = "a single tile's event id, or the group's name-based id")
        String id,
        @Schema(required = true, enumeration = {"single", "group"}) String kind,
        @Schema(required = true, description = "the event type") String type,
        @Schema(required = true, description = "the type's display name from the catalog") String displayName,
        @Schema(required = true) String icon,
        @Schema(required = true, description = "the event's title; a group's is its display name") String title,
        @Schema(required = true, nullable = true, description = "rendered from the catalog's template when the event has none")
        String description,
        @Schema(required = true, format = "date-time", description = "the first member's; tiles never move") String occurredAt,
        @Schema(required = true, format = "date-time", description = "the newest member's") String latestAt,
        @Schema(required = true, minimum = "1", description = "members: 1 for a single tile") int count,
        @Schema(required = true, nullable = true) TileActor actor,
        @Schema(required = true, nullable = true) TileEntity entity,
        @Schema(required = true, maxItems = 5, description = "up to 5 distinct actors of the members") List<TileActor> actors,
        @Schema(required = true, maxItems = 5, description = "the newest members, newest first") List<TileSample> samples,
        @Schema(required = true, description = "the first member's") String source,
        @Schema(required = true, enumeration = {"low", "normal", "high", "urgent"}) String priority,
        @Schema(required = true, description = "every member's tags") List<String> tags,
        @Schema(required = true, nullable = true) String correlationId,
        @Schema(required = true, nullable = true) TileChange change,
        @Schema(required = true, nullable = true, description = "the event's payload; single tiles only, null on a group")
        Map<String, Object> payload,
        @Schema(required = true, nullable = true, format = "date-time", description = "when the tile leaves the feed")
        String expiresAt,
        @Schema(required = true) ReactionSummary reactions,
        @Schema(required = true, description = "the reader's own reactions: hype, respect, tribute") List<String> myReactions,
        @Schema(required = true) long commentCount,
        @Schema(required = true, description = "read by this reader (compared with contentSeq)") boolean read,
        @Schema(required = true, description = "the change number of the tile's last change of any kind") long seq,
        @Schema(required = true, description = "the change number of its creation or last growth") long contentSeq) {
}
