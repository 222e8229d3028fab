package com.activityfeed.feed.ingest;

import com.activityfeed.kafka.HopLatency;
import com.activityfeed.kafka.consume.ConsumerRetries;
import com.activityfeed.kafka.consume.ConsumerRetry;
import com.activityfeed.kafka.consume.DeadLetters;
import com.activityfeed.kafka.tracing.KafkaTracing;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import io.quarkus.runtime.Startup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Consumes {@code activity.raw} in batches: one transaction per batch (per {@link #MAX_EVENTS_PER_TRANSACTION}
 * events of it), offsets committed by the connector only once the returned {@link Uni} completed, so
 * delivery is at least once and the store's idempotence makes it exactly once in the feed. A record
 * holds one event or, written by ingest for a batch request, several events of its tenant
 * ({@link MessageCodec#readRawEvents}): they are stored in order, as if each had been a record.
 *
 * <p>Only a record that is itself bad goes to {@code activity.raw.dlq}: one that cannot be read,
 * or whose data the database refuses when it is stored alone ({@link ConsumerRetry#messagesOwnFault}). Every
 * other failure (the database restarting, read-only after a failover, a full disk, the DLQ itself
 * unreachable, a bug) is retried with capped back-off for as long as it lasts ({@link ConsumerRetry}:
 * readiness DOWN and {@code pipeline_consumer_stalled{channel="activity-raw"}} 1 meanwhile). The
 * returned Uni never fails, so the channel's failure strategy is never invoked and the consumer
 * never stops; when the service stops mid-retry the Uni never completes and the batch stays
 * unacknowledged for the next owner.
 *
 * <p>Tracing: a poll's batch holds records of many traces (one per ingest request), stored in one
 * transaction. Each distinct trace context of the batch (the record's {@code traceparent} header,
 * the ingest's send span) gets its own child span {@code process activity.raw}, open while the
 * batch is stored, rather than one batch span with links: a link would start a new trace at the
 * feed, and the event's changes, relay and stream writes would no longer share the trace of its
 * POST. Records of one request share one span; a record without a header gets none. The changes an
 * event causes carry its span's context to the relay ({@link EventIngestService#store(List, Map)}).
 */
// created at start-up, so its counters are exported (as 0) before the first message
@ApplicationScoped
@Startup
public class RawEventConsumer {
    public static final String CHANNEL = "activity-raw";
    /**
     * The most events stored in one database transaction: a poll of up to {@code max.poll.records}
     * records may hold many more events when ingest wrote batch records.
     */
    static final int MAX_EVENTS_PER_TRANSACTION = 2000;
    private static final Logger LOG = Logger.getLogger(RawEventConsumer.class);

    private final EventIngestService store;
    private final DeadLetters deadLetters;
    private final ConsumerRetry retry;
    private final Timer appendToConsumed;
    private final Timer consumedToCommitted;
    private final Counter stored;
    private final Counter deadLettered;
    private final DistributionSummary batchRecords;
    private final Tracer tracer;

    public RawEventConsumer(EventIngestService store, DeadLetters deadLetters, ConsumerRetries retries,
                            MeterRegistry registry, Tracer tracer) {
        this.store = store;
        this.tracer = tracer;
        this.deadLetters = deadLetters;
        this.retry = retries.forChannel(CHANNEL);
        this.appendToConsumed = HopLatency.timer(registry, "append_to_consumed");
        this.consumedToCommitted = HopLatency.timer(registry, "consumed_to_committed");
        // feed_consumer_events_stored_total: the consumer's throughput (rate() of it), redeliveries included
        this.stored = Counter.builder("feed.consumer.events.stored")
                .description("events of activity.raw stored by the feed consumer (committed)").register(registry);
        // feed_consumer_batch_records_{count,sum,max}: records per poll, what the fetch settings trade
        // latency for (each batch is one transaction and one relay round, whatever its size)
        this.batchRecords = DistributionSummary.builder("feed.consumer.batch.records")
                .description("records of activity.raw handed to the feed consumer per poll").register(registry);
        // feed_dlq_messages_total{topic}: what an alert on poison messages watches
        this.deadLettered = Counter.builder("feed.dlq.messages").tag("topic", Topics.dlq(Topics.ACTIVITY_RAW))
                .description("messages sent to a dead-letter topic").register(registry);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        long consumedAt = System.nanoTime();
        long consumedAtMillis = System.currentTimeMillis();
        batchRecords.record(records.count());
        return Uni.createFrom().<Void>item(() -> {
                    process(records, consumedAt, consumedAtMillis);
                    return null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(ConsumerRetry.Stopped.class).recoverWithUni(() -> Uni.createFrom().nothing());
    }

    private void process(ConsumerRecords<String, String> records, long consumedAt, long consumedAtMillis) {
        // valid.get(i) is the record that held events.get(i)
        List<ConsumerRecord<String, String>> valid = new ArrayList<>(records.count());
        List<RawEvent> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            List<RawEvent> held;
            try {
                held = MessageCodec.readRawEvents(record.value());
                for (RawEvent event : held) {
                    if (record.key() != null && !record.key().equals(event.tenantId())) {
                        throw new MessageCodec.MalformedMessageException("key " + record.key()
                                + " differs from the event's tenant " + event.tenantId());
                    }
                }
            } catch (RuntimeException e) {
                deadLetter(record, e); // the whole record: none of its events is stored
                continue;
            }
            long appendToConsumedMillis = Math.max(0, consumedAtMillis - record.timestamp());
            for (RawEvent event : held) {
                appendToConsumed.record(appendToConsumedMillis, TimeUnit.MILLISECONDS);
                events.add(event);
                valid.add(record);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        Traces traces = new Traces(events.size());
        for (int i = 0; i < events.size(); i++) {
            traces.add(valid.get(i), events.get(i).id());
        }
        try {
            for (int from = 0; from < events.size(); from += MAX_EVENTS_PER_TRANSACTION) {
                int to = Math.min(events.size(), from + MAX_EVENTS_PER_TRANSACTION);
                store(events.subList(from, to), valid.subList(from, to), consumedAt, traces);
            }
        } catch (RuntimeException e) {
            traces.fail(e);
            throw e;
        } finally {
            traces.end();
        }
    }

    /** The processing spans of one batch: one per distinct trace context of its records. */
    private final class Traces {
        private final int batchSize;
        // traceparent header -> its span; most batches hold few distinct ones under light load
        private Map<String, Span> byParent;
        // event id -> traceparent of its span, for the changes it causes
        private Map<UUID, String> byEvent = Map.of();

        Traces(int batchSize) {
            this.batchSize = batchSize;
        }

        void add(ConsumerRecord<String, String> record, UUID eventId) {
            String parent = KafkaTracing.header(record.headers());
            if (parent == null) {
                return;
            }
            if (byParent == null) {
                byParent = new HashMap<>();
                byEvent = new HashMap<>();
            }
            Span span = byParent.get(parent);
            if (span == null) {
                span = KafkaTracing.startProcess(tracer, Topics.ACTIVITY_RAW, record.key(), KafkaTracing.parse(parent));
                if (span == null) {
                    return; // a malformed header: no span rather than a new root trace
                }
                span.setAttribute(KafkaTracing.BATCH_COUNT, batchSize);
                byParent.put(parent, span);
            }
            String own = KafkaTracing.traceparent(span.getSpanContext());
            if (own != null) {
                byEvent.put(eventId, own);
            }
        }

        Map<UUID, String> byEvent() {
            return byEvent;
        }

        void fail(Throwable error) {
            if (byParent != null && !(error instanceof ConsumerRetry.Stopped)) {
                byParent.values().forEach(span -> span.setStatus(StatusCode.ERROR, error.toString()));
            }
        }

        void end() {
            if (byParent != null) {
                byParent.values().forEach(Span::end);
            }
        }
    }

    private void store(List<RawEvent> events, List<ConsumerRecord<String, String>> valid, long consumedAt,
                       Traces traces) {
        try {
            run("storing " + events.size() + " events", () -> store.store(events, traces.byEvent()));
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
                    run("storing event " + event.id(), () -> store.store(List.of(event), traces.byEvent()));
                    stored.increment();
                } catch (RecordFault fault) {
                    deadLetter(alone(valid.get(i), event), fault.getCause());
                }
            }
        }
    }

    /**
     * The record to dead-letter for one event the database refused: the record itself when it held
     * only that event, else a copy holding that event alone (same key, headers, position), so the
     * DLQ keeps exactly what was not stored and a re-drive sends back only that.
     */
    static ConsumerRecord<String, String> alone(ConsumerRecord<String, String> record, RawEvent event) {
        if (!MessageCodec.isArray(record.value())) {
            return record;
        }
        String value = MessageCodec.write(event);
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), value.getBytes(StandardCharsets.UTF_8).length,
                record.key(), value, record.headers(), record.leaderEpoch());
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
