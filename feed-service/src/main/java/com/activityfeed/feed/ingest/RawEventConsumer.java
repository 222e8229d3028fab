package com.activityfeed.feed.ingest;

import com.activityfeed.kafka.HopLatency;
import com.activityfeed.kafka.consume.ConsumerRetries;
import com.activityfeed.kafka.consume.ConsumerRetry;
import com.activityfeed.kafka.consume.DeadLetters;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import io.quarkus.runtime.Startup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Consumes {@code activity.raw} in batches: one transaction per batch, offsets committed by the
 * connector only once the returned {@link Uni} completed, so delivery is at least once and the
 * store's idempotence makes it exactly once in the feed.
 *
 * <p>Only a record that is itself bad goes to {@code activity.raw.dlq}: one that cannot be read,
 * or whose data the database refuses when it is stored alone ({@link ConsumerRetry#messagesOwnFault}). Every
 * other failure (the database restarting, read-only after a failover, a full disk, the DLQ itself
 * unreachable, a bug) is retried with capped back-off for as long as it lasts ({@link ConsumerRetry}:
 * readiness DOWN and {@code pipeline_consumer_stalled{channel="activity-raw"}} 1 meanwhile). The
 * returned Uni never fails, so the channel's failure strategy is never invoked and the consumer
 * never stops; when the service stops mid-retry the Uni never completes and the batch stays
 * unacknowledged for the next owner.
 */
// created at start-up, so its counters are exported (as 0) before the first message
@ApplicationScoped
@Startup
public class RawEventConsumer {
    public static final String CHANNEL = "activity-raw";
    private static final Logger LOG = Logger.getLogger(RawEventConsumer.class);

    private final EventIngestService store;
    private final DeadLetters deadLetters;
    private final ConsumerRetry retry;
    private final Timer appendToConsumed;
    private final Timer consumedToCommitted;
    private final Counter stored;
    private final Counter deadLettered;

    public RawEventConsumer(EventIngestService store, DeadLetters deadLetters, ConsumerRetries retries,
                            MeterRegistry registry) {
        this.store = store;
        this.deadLetters = deadLetters;
        this.retry = retries.forChannel(CHANNEL);
        this.appendToConsumed = HopLatency.timer(registry, "append_to_consumed");
        this.consumedToCommitted = HopLatency.timer(registry, "consumed_to_committed");
        // feed_consumer_events_stored_total: the consumer's throughput (rate() of it), redeliveries included
        this.stored = Counter.builder("feed.consumer.events.stored")
                .description("events of activity.raw stored by the feed consumer (committed)").register(registry);
        // feed_dlq_messages_total{topic}: what an alert on poison messages watches
        this.deadLettered = Counter.builder("feed.dlq.messages").tag("topic", Topics.dlq(Topics.ACTIVITY_RAW))
                .description("messages sent to a dead-letter topic").register(registry);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        long consumedAt = System.nanoTime();
        for (ConsumerRecord<String, String> record : records) {
            HopLatency.recordSince(appendToConsumed, record.timestamp());
        }
        return Uni.createFrom().<Void>item(() -> {
                    process(records, consumedAt);
                    return null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(ConsumerRetry.Stopped.class).recoverWithUni(() -> Uni.createFrom().nothing());
    }

    private void process(ConsumerRecords<String, String> records, long consumedAt) {
        List<ConsumerRecord<String, String>> valid = new ArrayList<>(records.count());
        List<RawEvent> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                RawEvent event = MessageCodec.readRawEvent(record.value());
                if (record.key() != null && !record.key().equals(event.tenantId())) {
                    throw new MessageCodec.MalformedMessageException("key " + record.key()
                            + " differs from the event's tenant " + event.tenantId());
                }
                events.add(event);
                valid.add(record);
            } catch (RuntimeException e) {
                deadLetter(record, e);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        try {
            run("storing " + events.size() + " events", () -> store.store(events));
            stored.increment(events.size());
            long elapsed = System.nanoTime() - consumedAt;
            for (int i = 0; i < events.size(); i++) {
                consumedToCommitted.record(elapsed, TimeUnit.NANOSECONDS);
            }
        } catch (RecordFault batchFault) {
            // some record's data was refused: store them one by one to find it, the rest goes in
            LOG.warnf("a batch of %d events holds data the database refuses, storing one by one: %s",
                    events.size(), batchFault.getMessage());
            for (int i = 0; i < events.size(); i++) {
                RawEvent event = events.get(i);
                try {
                    run("storing event " + event.id(), () -> store.store(List.of(event)));
                    stored.increment();
                } catch (RecordFault fault) {
                    deadLetter(valid.get(i), fault.getCause());
                }
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, String> record, Throwable error) {
        retry.deadLetter(deadLetters, record, error);
        deadLettered.increment();
    }

    private interface Work<T> {
        T call() throws Exception;
    }

    /** Retries until done; a fault of the record's own data comes back as {@link RecordFault}. */
    private <T> T run(String what, Work<T> work) {
        try {
            return retry.run(what, work::call);
        } catch (ConsumerRetry.Stopped e) {
            throw e;
        } catch (Exception e) {
            throw new RecordFault(e);
        }
    }

    /** A failure that the record's own data caused ({@link ConsumerRetry#messagesOwnFault}). */
    private static final class RecordFault extends RuntimeException {
        RecordFault(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
