package com.activityfeed.social.tiles;

import com.activityfeed.kafka.consume.ConsumerRetries;
import com.activityfeed.kafka.consume.ConsumerRetry;
import com.activityfeed.kafka.consume.DeadLetters;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.MessageCodec;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Learns tiles, folds and removals from {@code feed.changes}, one change at a time in partition
 * order. Only a change that is itself bad (it cannot be read, or the database refuses its data)
 * goes to the DLQ; any other failure (PostgreSQL restarting or read-only) is retried for as long as
 * it lasts ({@link ConsumerRetry}: readiness DOWN, {@code pipeline_consumer_stalled{channel="feed-changes"}}
 * 1 meanwhile), so no outage, however long, leaves a tile unknown. The returned Uni never fails;
 * when the service stops mid-retry it never completes and the change stays unacknowledged.
 */
@ApplicationScoped
public class TileProjectionConsumer {
    public static final String CHANNEL = "feed-changes";

    private final TileProjection projection;
    private final DeadLetters deadLetters;
    private final ConsumerRetry retry;

    public TileProjectionConsumer(TileProjection projection, DeadLetters deadLetters, ConsumerRetries retries) {
        this.projection = projection;
        this.deadLetters = deadLetters;
        this.retry = retries.forChannel(CHANNEL);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        return Uni.createFrom().<Void>item(() -> {
                    retry.runOrDeadLetter("projecting a feed change", record, deadLetters, () -> {
                        FeedChange change = MessageCodec.readFeedChange(record.value());
                        // a user notice (feed.unread, seq 0) says nothing about tiles
                        if (change.seq() != 0) {
                            projection.apply(change);
                        }
                        return null;
                    });
                    return null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(ConsumerRetry.Stopped.class).recoverWithUni(() -> Uni.createFrom().nothing());
    }
}
