package com.activityfeed.social.tiles;

import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.MessageCodec;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Learns tiles, folds and removals from {@code feed.changes}; a message that cannot be read goes to the DLQ. */
@ApplicationScoped
public class TileProjectionConsumer {
    public static final String CHANNEL = "feed-changes";

    private final TileProjection projection;

    public TileProjectionConsumer(TileProjection projection) {
        this.projection = projection;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(String value) {
        FeedChange change = MessageCodec.readFeedChange(value);
        if (change.seq() > 0) {
            projection.apply(change);
        }
    }
}
