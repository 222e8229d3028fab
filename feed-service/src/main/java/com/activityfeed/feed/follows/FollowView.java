package com.activityfeed.feed.follows;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * A follow as the API shows it (SPEC §4): {@code kind} with its target's fields, {@code origin}
 * ({@code manual} or {@code participating}) and {@code followers}, how many users of the tenant
 * follow the same target.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Follow", description = "kind actor carries actorId, entity entityType and entityId, type type")
public record FollowView(@Schema(required = true, enumeration = {"actor", "entity", "type"}) String kind,
                         String actorId, String entityType, String entityId, String type,
                         @Schema(required = true, enumeration = {"manual", "participating"}) String origin,
                         @Schema(required = true) long followers, @Schema(required = true) Instant createdAt) {

    /** One page of the follows list. */
    @Schema(name = "FollowPage")
    public record Page(@Schema(required = true) List<FollowView> items,
                       @Schema(required = true, nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }
}
