package com.activityfeed.feed.follows;

/** Fired inside the transaction that changed a user's follows; observed after its commit. */
public record FollowsChanged(String tenantId, String userId) {
}
