package com.activityfeed.ingest.publish;

import com.activityfeed.kafka.KafkaProducers;
import com.activityfeed.kafka.tracing.KafkaTracing;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.core.JsonProcessingException;
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
 * <p>A single event goes through one idempotent producer. A batch of several events is committed
 * in one Kafka transaction ({@link TransactionalBatches}): either all of it becomes visible to
 * read_committed consumers (the feed) or none of it, so a 503 never leaves half a batch behind.
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

    private final Producer<String, byte[]> producer;
    private final TransactionalBatches batches;
    private final Duration timeout;
    private final ObjectWriter writer = MessageCodec.mapper().writer();
    private final Tracer tracer;

    @Inject
    public EventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, PublishConfig config,
                          Tracer tracer) {
        this(config, transactionalId -> new KafkaProducer<>(producerConfig(kafkaConfig, config.timeout(), config.linger(), transactionalId)),
                tracer);
    }

    EventPublisher(PublishConfig config, Function<String, Producer<String, byte[]>> producers) {
        this(config, producers, TracerProvider.noop().get(KafkaTracing.SCOPE));
    }

    /**
     * @param producers makes a producer: {@code null} for the idempotent one, else the
     *                  {@code transactional.id} of a transactional one
     */
    EventPublisher(PublishConfig config, Function<String, Producer<String, byte[]>> producers, Tracer tracer) {
        this.tracer = tracer;
        this.timeout = config.timeout();
        this.producer = producers.apply(null);
        this.batches = config.transactionalProducers() <= 0 ? null
                : new TransactionalBatches(config.transactionalIdPrefix().orElseGet(EventPublisher::hostName),
                config.transactionalProducers(), config.requestsPerTransaction(), producers);
    }

    /**
     * The settings of ingest's producers, from the platform's one producer factory. acks=all and idempotence: a 202 means the
     * event is on every in-sync replica, once. A short linger lets concurrent single-event requests
     * share a produce request without adding noticeable latency. Batches (transactional) are lz4
     * compressed: their JSON is repetitive and large. Single events are not: their producer batches
     * hold a few records, and lz4 allocates a 64 KiB block buffer per producer batch, which under
     * load was the largest allocation site of the whole process (profile in benchmarks/README.md).
     * No call may block longer than the answer may take.
     *
     * @param transactionalId null for the plain idempotent producer
     */
    static Map<String, Object> producerConfig(Map<String, Object> kafkaConfig, Duration timeout, Duration linger,
                                              String transactionalId) {
        String clientId = transactionalId == null ? "ingest-events" : "ingest-" + transactionalId;
        return KafkaProducers.binarySettings(kafkaConfig, KafkaProducers.Options.of(clientId, timeout)
                .withLinger(linger).withCompression(transactionalId == null ? "none" : "lz4")
                .withTransactionalId(transactionalId));
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
            List<ProducerRecord<String, byte[]>> records = records(events, trace);
            acked = records.size() > 1 && batches != null ? batches.commit(records) : send(records);
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

    private List<ProducerRecord<String, byte[]>> records(List<RawEvent> events, String traceparent) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        byte[] trace = traceparent == null ? null : traceparent.getBytes(StandardCharsets.US_ASCII);
        for (RawEvent event : events) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.ACTIVITY_RAW, event.tenantId(), serialise(event));
            if (trace != null) {
                record.headers().add(Topics.HEADER_TRACEPARENT, trace);
            }
            if (event.correlationId() != null) {
                record.headers().add(Topics.HEADER_CORRELATION_ID, event.correlationId().getBytes(StandardCharsets.UTF_8));
            }
            records.add(record);
        }
        return records;
    }

    /** Straight to UTF-8 bytes: the event is serialised once, with no intermediate string. */
    private byte[] serialise(RawEvent event) {
        try {
            return writer.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise event " + event.id(), e);
        }
    }

    /** Idempotent, no transaction: completes when the last record is acknowledged. */
    private CompletableFuture<Void> send(List<ProducerRecord<String, byte[]>> records) {
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
    }
}
