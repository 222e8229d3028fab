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
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Learns tiles, folds and removals from {@code feed.changes}, in partition order, a poll's batch
 * in one transaction (a transaction per change cost more than the change itself when changes come
 * fast). Only a change that is itself bad (it cannot be read, or the database refuses its data)
 * goes to the DLQ: a batch the database refuses is applied again one change at a time, to find it.
 * Any other failure (PostgreSQL restarting or read-only) is retried for as long as it lasts
 * ({@link ConsumerRetry}: readiness DOWN, {@code pipeline_consumer_stalled{channel="feed-changes"}}
 * 1 meanwhile), so no outage, however long, leaves a tile unknown. The returned Uni never fails;
 * when the service stops mid-retry it never completes and the batch stays unacknowledged.
 */
@ApplicationScoped
public class TileProjectionConsumer {
    public static final String CHANNEL = "feed-changes";
    private static final Logger LOG = Logger.getLogger(TileProjectionConsumer.class);

    private final TileProjection projection;
    private final DeadLetters deadLetters;
    private final ConsumerRetry retry;

    public TileProjectionConsumer(TileProjection projection, DeadLetters deadLetters, ConsumerRetries retries) {
        this.projection = projection;
        this.deadLetters = deadLetters;
        this.retry = retries.forChannel(CHANNEL);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        return Uni.createFrom().<Void>item(() -> {
                    process(records);
                    return null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(ConsumerRetry.Stopped.class).recoverWithUni(() -> Uni.createFrom().nothing());
    }

    private void process(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> read = new ArrayList<>(records.count());
        List<FeedChange> changes = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                FeedChange change = retry.run("reading a feed change", () -> MessageCodec.readFeedChange(record.value()));
                // a user notice (feed.unread, seq 0) says nothing about tiles
                if (change.seq() != 0) {
                    read.add(record);
                    changes.add(change);
                }
            } catch (ConsumerRetry.Stopped e) {
                throw e;
            } catch (Exception e) {
                retry.deadLetter(deadLetters, record, e);
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        try {
            retry.run("projecting " + changes.size() + " feed changes", () -> {
                projection.applyAll(changes);
                return null;
            });
        } catch (ConsumerRetry.Stopped e) {
            throw e;
        } catch (Exception batchFault) {
            LOG.warnf("a batch of %d feed changes holds data the database refuses, applying one by one: %s",
                    changes.size(), batchFault.getMessage());
            for (int i = 0; i < changes.size(); i++) {
                FeedChange change = changes.get(i);
                retry.runOrDeadLetter("projecting a feed change", read.get(i), deadLetters, () -> {
                    projection.apply(change);
                    return null;
                });
            }
        }
    }
}
