package com.activityfeed.social.tiles;

import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.MessageCodec;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Learns tiles, folds and removals from {@code feed.changes}, one change at a time in partition
 * order. A message that cannot be read goes to the DLQ at once; any other failure (PostgreSQL
 * restarting) is retried with back-off for {@link TilesConfig#retryFor()} first, so a short outage
 * does not leave tiles unknown.
 */
@ApplicationScoped
public class TileProjectionConsumer {
    public static final String CHANNEL = "feed-changes";
    private static final Logger LOG = Logger.getLogger(TileProjectionConsumer.class);

    private final TileProjection projection;
    private final TilesConfig config;

    public TileProjectionConsumer(TileProjection projection, TilesConfig config) {
        this.projection = projection;
        this.config = config;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(String value) {
        FeedChange change;
        try {
            change = MessageCodec.readFeedChange(value);
        } catch (MessageCodec.MalformedMessageException e) {
            return Uni.createFrom().failure(e);
        }
        if (change.seq() == 0) {
            // a user notice (feed.unread): nothing about tiles
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().item(() -> {
                    projection.apply(change);
                    return (Void) null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().invoke(e -> LOG.warnf("projecting feed change %d of %s failed, retrying: %s",
                        change.seq(), change.tenantId(), e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5))
                .expireIn(config.retryFor().toMillis());
    }
}
