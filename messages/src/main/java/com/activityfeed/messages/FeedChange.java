package com.activityfeed.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One entry of feed-service's change log, relayed on {@code feed.changes} in per-tenant sequence
 * order. Key = {@code tenantId}. Every feed replica streams these to its SSE clients; social-service
 * projects tiles from them.
 *
 * @param seq         the tenant's change number, the SSE {@code id}; 0 for a user notice
 * @param userId      set only on user notices ({@code feed.unread}): they go to that user's
 *                    connections on every replica, carry no sequence number and are not in the log
 * @param event       the SSE event name, one of {@link FeedEvents}
 * @param tileId      the tile the change is about (for chat changes, the discussed tile or null)
 * @param tile        for tile changes: the tile's id, kind and actors; null for other changes
 * @param foldedTileIds for {@code activity.event.folded}: the single tiles now aliases of {@code tileId}
 * @param types       the event types the change concerns, for the stream's {@code types} filter
 * @param at          when the change was committed
 * @param sourceAt    when the event or update that caused it was received (ingest or social), for latency
 * @param data        the SSE {@code data} payload exactly as clients receive it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedChange(
        int v,
        String tenantId,
        long seq,
        String userId,
        String event,
        UUID tileId,
        TileRef tile,
        List<UUID> foldedTileIds,
        List<String> types,
        Instant at,
        Instant sourceAt,
        JsonNode data) {

    public static final int VERSION = 1;

    public FeedChange {
        foldedTileIds = foldedTileIds == null ? null : List.copyOf(foldedTileIds);
        types = types == null ? List.of() : List.copyOf(types);
    }
}
