package com.activityfeed.feed.ingest;

import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Consumes {@code activity.raw} in batches: one transaction per batch, offsets committed by the
 * connector only after this method returned, so delivery is at least once and the store's
 * idempotence makes it exactly once in the feed. A message that cannot be read goes to the DLQ
 * with the error in headers. When the database is unreachable the batch is retried with backoff
 * (never skipped); when a batch keeps failing for another reason, its events are stored one by
 * one and the one that fails is dead-lettered, so one bad event cannot stall a partition.
 */
// created at start-up, so its counter is exported (as 0) before the first message
@ApplicationScoped
@Startup
public class RawEventConsumer {
    public static final String CHANNEL = "activity-raw";
    private static final Logger LOG = Logger.getLogger(RawEventConsumer.class);

    private final EventIngestService store;
    private final DeadLetterPublisher deadLetters;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final Counter stored;

    public RawEventConsumer(EventIngestService store, DeadLetterPublisher deadLetters, MeterRegistry registry) {
        this.store = store;
        this.deadLetters = deadLetters;
        // feed_consumer_events_stored_total: the consumer's throughput (rate() of it), redeliveries included
        this.stored = Counter.builder("feed.consumer.events.stored")
                .description("events of activity.raw stored by the feed consumer (committed)").register(registry);
    }

    void stop(@Observes ShutdownEvent event) {
        shutdown.countDown();
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        List<ConsumerRecord<String, String>> valid = new ArrayList<>();
        List<RawEvent> events = new ArrayList<>();
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
                LOG.warnf("dead-lettering %s/%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
                deadLetters.send(record, e);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        long backoff = 100;
        int attempts = 0;
        while (true) {
            try {
                store.store(events);
                stored.increment(events.size());
                return;
            } catch (RuntimeException e) {
                attempts++;
                if (!transientFailure(e) && attempts >= 3) {
                    storeOneByOne(valid, events);
                    return;
                }
                LOG.warnf("storing %d events failed (attempt %d), retrying in %d ms: %s", events.size(), attempts,
                        backoff, rootMessage(e));
                // waits for the backoff, or returns at once when the service stops (the batch is redelivered)
                if (shutdown.await(backoff, TimeUnit.MILLISECONDS)) {
                    throw e;
                }
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    private void storeOneByOne(List<ConsumerRecord<String, String>> records, List<RawEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            try {
                store.store(List.of(events.get(i)));
                stored.increment();
            } catch (RuntimeException e) {
                if (transientFailure(e)) {
                    throw e; // the database went away meanwhile: the connector redelivers the batch
                }
                LOG.warnf("dead-lettering event %s: %s", events.get(i).id(), rootMessage(e));
                deadLetters.send(records.get(i), e);
            }
        }
    }

    /** Connection trouble, deadlocks and serialisation failures go away by themselves; bad data does not. */
    static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57") || state.startsWith("53")
                        || state.equals("40001") || state.equals("40P01")) {
                    return true;
                }
            }
            if (t.getClass().getName().contains("Acquisition") || t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }
}
