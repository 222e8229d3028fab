package com.activityfeed.messages;

/** SSE event names (SPEC §5); the tenant-wide ones are also {@link FeedChange#event()} values. */
public final class FeedEvents {
    public static final String CONNECTED = "feed.connected";
    public static final String TILE_CREATED = "activity.event.created";
    public static final String TILE_UPDATED = "activity.event.updated";
    public static final String TILE_FOLDED = "activity.event.folded";
    public static final String TILE_REMOVED = "activity.event.removed";
    public static final String REACTION_UPDATED = "activity.reaction.updated";
    public static final String COMMENT_CREATED = "activity.comment.created";
    public static final String COMMENT_DELETED = "activity.comment.deleted";
    public static final String THREAD_CREATED = "chat.thread.created";
    public static final String THREAD_UPDATED = "chat.thread.updated";
    public static final String THREAD_DELETED = "chat.thread.deleted";
    public static final String MESSAGE_CREATED = "chat.message.created";
    public static final String UNREAD = "feed.unread";
    public static final String SNAPSHOT_REQUIRED = "feed.snapshot-required";

    private FeedEvents() {
    }
}
