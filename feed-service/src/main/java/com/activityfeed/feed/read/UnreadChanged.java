package com.activityfeed.feed.read;

/**
 * Fired (CDI event) by the read state after a user's own read action committed; the stream sends
 * the user a {@code feed.unread} notice on every replica.
 */
public record UnreadChanged(String tenantId, String userId, long unread, boolean capped) {
}
