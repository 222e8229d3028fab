package com.activityfeed.ingest.publish;

import com.activityfeed.kafka.KafkaProducers;
import com.activityfeed.kafka.tracing.KafkaTracing;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Publishes events to {@code activity.raw}, keyed by tenant, with acks=all, and completes only once
 * the broker has acknowledged every record of the request. Nothing waits: the returned future is
 * completed from the producer's callback (or the commit of a batch's transaction), so no request
 * thread is parked while Kafka works. When Kafka cannot take the events within the configured
 * timeout the future fails with a 503 problem: the client retries with the same keys.
 *
 * <p>A single event goes through one idempotent producer as one record. A batch of several events
 * is all or nothing in Kafka, so a 503 never leaves half a batch behind: when all its events belong
 * to one tenant (the usual batch) and fit one record, they are one record, a JSON array of the
 * events in request order ({@link MessageCodec#readRawEvents}), which Kafka appends whole or not at
 * all, on a second idempotent producer that compresses; otherwise (a platform caller's batch for
 * several tenants, or one larger than a record may be) it is committed in one Kafka transaction
 * ({@link TransactionalBatches}), of which read_committed consumers (the feed) see all or nothing.
 * One record costs Kafka and ingest far less than a transaction of a hundred records (README, P1).
 *
 * <p>Tracing: the records of one request are sent under one producer span {@code send activity.raw},
 * child of the request's server span (or, outside a traced request, of the caller's
 * {@code traceparent}), whose context every record carries in its {@code traceparent} header: the
 * feed's consumer continues the trace from it. One span per request, not per event.
 */
@Startup // the transactional producers initialise at start-up, not on the first request
@ApplicationScoped
public class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    /** Room in a produce request for a batch record's key, headers and framing. */
    private static final int RECORD_FRAMING = 1024;

    private final Producer<String, byte[]> producer;
    /** Batch records (several events of one tenant in one record), compressed. */
    private final Producer<String, byte[]> batchProducer;
    /** The largest batch record, in bytes of its value (-1: none): a bigger batch goes into a transaction. */
    private final int maxRecordBytes;
    private final TransactionalBatches batches;
    private final Duration timeout;
    private final ObjectWriter writer = MessageCodec.mapper().writer();
    private final ObjectWriter arrayWriter = MessageCodec.mapper().writerFor(new TypeReference<List<RawEvent>>() {
    });
    private final Tracer tracer;

    @Inject
    public EventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, PublishConfig config,
                          Tracer tracer) {
        this(config, role -> new KafkaProducer<>(producerConfig(kafkaConfig, config.timeout(), config.linger(), role)),
                maxRecordBytes(kafkaConfig), tracer);
    }

    EventPublisher(PublishConfig config, Function<Role, Producer<String, byte[]>> producers, int maxRecordBytes) {
        this(config, producers, maxRecordBytes, TracerProvider.noop().get(KafkaTracing.SCOPE));
    }

    /**
     * @param producers      makes the producer of each {@link Role}
     * @param maxRecordBytes the largest value of a batch record ({@link #maxRecordBytes(Map)})
     */
    EventPublisher(PublishConfig config, Function<Role, Producer<String, byte[]>> producers, int maxRecordBytes,
                   Tracer tracer) {
        this.tracer = tracer;
        this.timeout = config.timeout();
        this.maxRecordBytes = config.batchRecords() ? maxRecordBytes : -1;
        this.producer = producers.apply(Role.SINGLE);
        this.batchProducer = producers.apply(Role.BATCHES);
        this.batches = config.transactionalProducers() <= 0 ? null
                : new TransactionalBatches(config.transactionalIdPrefix().orElseGet(EventPublisher::hostName),
                config.transactionalProducers(), config.requestsPerTransaction(), id -> producers.apply(Role.transactional(id)));
    }

    /**
     * What one of ingest's producers is for: single events (uncompressed), batch records
     * (compressed) or a transactional producer of batches that cannot be one record.
     */
    public record Role(String clientId, String compression, String transactionalId) {
        static final Role SINGLE = new Role("ingest-events", "none", null);
        static final Role BATCHES = new Role("ingest-batches", "lz4", null);

        static Role transactional(String transactionalId) {
            return new Role("ingest-" + transactionalId, "lz4", transactionalId);
        }
    }

    /**
     * The largest value of a batch record: the producer's {@code max.request.size} (Kafka's default
     * 1 MiB unless the configuration sets it) less room for the key, the headers and the record's
     * framing. A batch's events serialised take about as many bytes as its request body (at most
     * 1 MiB), so nearly every batch fits; one that does not goes into a transaction.
     */
    static int maxRecordBytes(Map<String, ?> kafkaConfig) {
        Object configured = kafkaConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        int maxRequest = configured == null ? 1024 * 1024 : Integer.parseInt(configured.toString().trim());
        return Math.max(0, maxRequest - RECORD_FRAMING);
    }

    /**
     * The settings of ingest's producers, from the platform's one producer factory. acks=all and idempotence: a 202 means the
     * event is on every in-sync replica, once. A short linger lets concurrent single-event requests
     * share a produce request without adding noticeable latency. Batches (batch records and
     * transactions) are lz4 compressed: their JSON is repetitive and large. Single events are not: their producer batches
     * hold a few records, and lz4 allocates a 64 KiB block buffer per producer batch, which under
     * load was the largest allocation site of the whole process (profile in benchmarks/README.md).
     * No call may block longer than the answer may take.
     *
     * @param role which of ingest's producers
     */
    static Map<String, Object> producerConfig(Map<String, Object> kafkaConfig, Duration timeout, Duration linger,
                                              Role role) {
        return KafkaProducers.binarySettings(kafkaConfig, KafkaProducers.Options.of(role.clientId(), timeout)
                .withLinger(linger).withCompression(role.compression()).withTransactionalId(role.transactionalId()));
    }

    /**
     * Sends every event; the future completes once all are acknowledged (a batch: committed), or
     * fails with a 503 {@link ProblemException} within the timeout.
     *
     * @param traceparent W3C trace context of the caller, the send span's parent when no span is
     *                    current (a request's server span already continues it); may be null
     */
    public CompletableFuture<Void> publish(List<RawEvent> events, String traceparent) {
        Span span = sendSpan(events, traceparent);
        String trace = KafkaTracing.traceparent(span.getSpanContext());
        CompletableFuture<Void> acked;
        try {
            acked = send(events, trace);
        } catch (KafkaException e) {
            acked = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> answer = new CompletableFuture<>();
        acked.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((ok, error) -> {
            if (error != null) {
                span.setStatus(StatusCode.ERROR, error.toString());
            }
            span.end();
            if (error == null) {
                answer.complete(null);
            } else {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof java.util.concurrent.TimeoutException) {
                    LOG.warnf("Kafka did not acknowledge %d event(s) within %s", events.size(), timeout);
                } else {
                    LOG.warnf("Kafka refused %d event(s): %s", events.size(), cause.toString());
                }
                answer.completeExceptionally(unavailable());
            }
        });
        return answer;
    }

    /** The producer span of one request's records: child of the current span, else of {@code traceparent}. */
    private Span sendSpan(List<RawEvent> events, String traceparent) {
        Context parent = Context.current();
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            Context given = KafkaTracing.parse(traceparent);
            if (given != null) {
                parent = given;
            }
        }
        Span span = KafkaTracing.startSend(tracer, Topics.ACTIVITY_RAW, events.isEmpty() ? null : events.getFirst().tenantId(),
                parent);
        span.setAttribute(KafkaTracing.BATCH_COUNT, events.size());
        return span;
    }

    /** One record, a batch record, or a transaction, as the class comment says; completes when Kafka has all of it. */
    private CompletableFuture<Void> send(List<RawEvent> events, String traceparent) {
        if (events.size() > 1) {
            String tenant = events.getFirst().tenantId();
            if (maxRecordBytes >= 0 && events.stream().allMatch(e -> e.tenantId().equals(tenant))) {
                byte[] value = serialise(events);
                if (value.length <= maxRecordBytes) {
                    String correlation = events.getFirst().correlationId();
                    boolean shared = correlation != null && events.stream().allMatch(e -> correlation.equals(e.correlationId()));
                    return send(batchProducer, List.of(record(tenant, value, traceparent, shared ? correlation : null)));
                }
            }
            if (batches != null) {
                return batches.commit(records(events, traceparent));
            }
        }
        return send(producer, records(events, traceparent));
    }

    private List<ProducerRecord<String, byte[]>> records(List<RawEvent> events, String traceparent) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (RawEvent event : events) {
            records.add(record(event.tenantId(), serialise(event), traceparent, event.correlationId()));
        }
        return records;
    }

    private static ProducerRecord<String, byte[]> record(String tenant, byte[] value, String traceparent, String correlationId) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, value);
        if (traceparent != null) {
            record.headers().add(Topics.HEADER_TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
        }
        if (correlationId != null) {
            record.headers().add(Topics.HEADER_CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /** Straight to UTF-8 bytes: the event is serialised once, with no intermediate string. */
    private byte[] serialise(RawEvent event) {
        try {
            return writer.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise event " + event.id(), e);
        }
    }

    /** The events of a batch record: a JSON array of them, in order. */
    private byte[] serialise(List<RawEvent> events) {
        try {
            return arrayWriter.writeValueAsBytes(events);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise a batch of " + events.size() + " events", e);
        }
    }

    /** Idempotent, no transaction: completes when the last record is acknowledged. */
    private static CompletableFuture<Void> send(Producer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger remaining = new AtomicInteger(records.size());
        Callback callback = (metadata, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else if (remaining.decrementAndGet() == 0) {
                done.complete(null);
            }
        };
        for (ProducerRecord<String, byte[]> record : records) {
            producer.send(record, callback);
        }
        return done;
    }

    /** False until the transactional producers are initialised (ingest is then not ready). */
    public boolean transactionsReady() {
        return batches == null || batches.ready();
    }

    static ProblemException unavailable() {
        return ProblemException.unavailable("the event log is unavailable; retry with the same idempotency keys",
                Duration.ofSeconds(5));
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("no host name for the transactional ids; set ingest.publish.transactional-id-prefix", e);
        }
    }

    @PreDestroy
    void close() {
        if (batches != null) {
            batches.close();
        }
        producer.close(Duration.ofSeconds(5));
        batchProducer.close(Duration.ofSeconds(5));
    }
}
