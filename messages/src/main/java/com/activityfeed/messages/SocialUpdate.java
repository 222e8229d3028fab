package com.activityfeed.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One change made in social-service, published on {@code social.updates} through its outbox.
 * Key = {@code tenantId}. Exactly one of the payload fields is set, matching {@code kind}.
 * feed-service folds it into its tiles and relays it on the stream with a sequence number.
 *
 * @param id the outbox row id: consumers are idempotent on it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SocialUpdate(
        int v,
        UUID id,
        String tenantId,
        Kind kind,
        Instant at,
        Reaction reaction,
        CommentChange comment,
        Thread thread,
        Message message) {

    public static final int VERSION = 1;

    public enum Kind {
        @JsonProperty("reaction.updated") REACTION_UPDATED(FeedEvents.REACTION_UPDATED),
        @JsonProperty("comment.created") COMMENT_CREATED(FeedEvents.COMMENT_CREATED),
        @JsonProperty("comment.deleted") COMMENT_DELETED(FeedEvents.COMMENT_DELETED),
        @JsonProperty("chat.thread.created") THREAD_CREATED(FeedEvents.THREAD_CREATED),
        @JsonProperty("chat.thread.updated") THREAD_UPDATED(FeedEvents.THREAD_UPDATED),
        @JsonProperty("chat.thread.deleted") THREAD_DELETED(FeedEvents.THREAD_DELETED),
        @JsonProperty("chat.message.created") MESSAGE_CREATED(FeedEvents.MESSAGE_CREATED);

        private final String feedEvent;

        Kind(String feedEvent) {
            this.feedEvent = feedEvent;
        }

        /** The SSE event feed-service relays this update as. */
        public String feedEvent() {
            return feedEvent;
        }
    }

    /**
     * A reaction added or taken back. {@code counts} are the tile's totals after the change;
     * {@code userReactions} the acting user's reaction types on the tile after it.
     */
    public record Reaction(UUID tileId, ReactionCounts counts, String actorId, String reactionType,
                           String action, List<String> userReactions) {
        public static final String ADDED = "added";
        public static final String REMOVED = "removed";
    }

    /** A comment made or deleted, with the tile's exact visible comment count after it. */
    public record CommentChange(UUID tileId, Comment comment, long commentCount) {
    }

    public record Comment(UUID id, UUID tileId, String authorId, String authorName, String body,
                          Instant createdAt) {
    }

    public record Thread(UUID id, String title, UUID tileId, Instant createdAt, Instant updatedAt) {
    }

    public record Message(UUID id, UUID threadId, String authorId, String authorName, String body,
                          Instant createdAt) {
    }
}
