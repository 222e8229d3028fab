package com.activityfeed.feed.grouping;

import java.time.Instant;
import java.util.UUID;

/** What the grouping engine needs to know of one event. */
public record EventFacts(UUID id, String tenant, String type, Instant occurredAt, boolean groupable,
                         String actorId, String entityType, String entityId) {
}
