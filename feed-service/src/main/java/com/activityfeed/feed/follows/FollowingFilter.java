package com.activityfeed.feed.follows;

import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.FeedEvents;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * One stream's {@code following=true} filter: tile changes, reactions and comments only for tiles
 * with a followed actor, entity or type; chat and user notices always. The user's follows are
 * watched live, so a follow or unfollow applies to the open stream without a reconnect.
 * {@link #prepare} blocks (a worker's job); {@link #ready} and {@link #matches} never do.
 */
public final class FollowingFilter {
    private final FollowingStreams streams;
    private final String tenant;
    private final String user;
    private volatile FollowSets.Watch watch;
    private volatile boolean closed;

    FollowingFilter(FollowingStreams streams, String tenant, String user) {
        this.streams = streams;
        this.tenant = tenant;
        this.user = user;
    }

    /** Whether {@link #matches} can answer for this change without a lookup. */
    public boolean ready(FeedChange change) {
        if (watch == null) {
            return false;
        }
        if (!FollowingStreams.aboutTile(change)) {
            return true;
        }
        FollowingStreams.TileTerms terms = streams.cached(change.tileId());
        return terms != null && terms.asOf() >= change.seq();
    }

    /** Loads what {@link #matches} needs for these changes (blocking). */
    public void prepare(Collection<FeedChange> changes) {
        synchronized (this) {
            if (watch == null && !closed) {
                watch = streams.watch(tenant, user);
            }
        }
        List<UUID> missing = new ArrayList<>();
        for (FeedChange change : changes) {
            if (!ready(change) && FollowingStreams.aboutTile(change)) {
                missing.add(change.tileId());
            }
        }
        streams.load(tenant, missing);
    }

    /**
     * Whether the stream writes this change. A change whose tile is not known (gone from the
     * cache between {@link #prepare} and here) passes: an extra tile is better than a lost one.
     * A tile that no longer exists passes only its removal, so a client that showed it drops it.
     */
    public boolean matches(FeedChange change) {
        if (!FollowingStreams.aboutTile(change)) {
            return true;
        }
        FollowSets.Watch w = watch;
        FollowingStreams.TileTerms terms = streams.cached(change.tileId());
        if (w == null || terms == null) {
            return true;
        }
        if (terms.terms() == null) {
            return FeedEvents.TILE_REMOVED.equals(change.event());
        }
        FollowSets.Snapshot follows = w.snapshot();
        for (String term : terms.terms()) {
            if (follows.terms().contains(term)) {
                return true;
            }
        }
        return false;
    }

    /** Gives the watch back; idempotent. */
    public void close() {
        FollowSets.Watch w;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            w = watch;
            watch = null;
        }
        if (w != null) {
            streams.unwatch(w);
        }
    }
}
