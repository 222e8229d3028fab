package com.activityfeed.feed.follows;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A follow as the API shows it (SPEC §4): {@code kind} with its target's fields, {@code origin}
 * ({@code manual} or {@code participating}) and {@code followers}, how many users of the tenant
 * follow the same target.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FollowView(String kind, String actorId, String entityType, String entityId, String type, String origin,
                         long followers, Instant createdAt) {

    /** One page of the follows list. */
    public record Page(List<FollowView> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }
}
