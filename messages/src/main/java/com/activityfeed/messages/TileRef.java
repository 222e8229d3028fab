package com.activityfeed.messages;

import java.util.List;
import java.util.UUID;

/**
 * What social-service needs to know of a tile to check a reaction or comment target: its id,
 * its kind ({@code single} or {@code group}) and the actor ids that may not react to it.
 */
public record TileRef(UUID id, String kind, List<String> actorIds) {
    public TileRef {
        actorIds = actorIds == null ? List.of() : List.copyOf(actorIds);
    }
}
