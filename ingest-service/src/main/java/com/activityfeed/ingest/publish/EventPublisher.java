package com.activityfeed.ingest.publish;

import com.activityfeed.kafka.KafkaProducers;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import com.activityfeed.web.ProblemException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes events to {@code activity.raw}, keyed by tenant, with an idempotent acks=all producer,
 * and returns only once the broker has acknowledged every record of the request. When it cannot
 * within the configured timeout it throws a 503 problem: the client retries with the same keys.
 */
@ApplicationScoped
public class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final KafkaProducer<String, String> producer;
    private final Duration timeout;

    public EventPublisher(KafkaProducers producers,
                          @ConfigProperty(name = "ingest.publish.timeout") Duration timeout) {
        this.timeout = timeout;
        // a short linger and lz4 pack a burst of requests into few, small broker writes
        this.producer = producers.create(KafkaProducers.Options.of("ingest-events", timeout)
                .withLinger(Duration.ofMillis(2)).withCompression("lz4"));
    }

    /**
     * Sends every event and waits for all acknowledgements.
     *
     * @param traceparent W3C trace context of the request, carried as a Kafka header; may be null
     */
    public void publish(List<RawEvent> events, String traceparent) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (RawEvent event : events) {
                ProducerRecord<String, String> record =
                        new ProducerRecord<>(Topics.ACTIVITY_RAW, event.tenantId(), MessageCodec.write(event));
                if (traceparent != null) {
                    record.headers().add(Topics.HEADER_TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
                }
                if (event.correlationId() != null) {
                    record.headers().add(Topics.HEADER_CORRELATION_ID, event.correlationId().getBytes(StandardCharsets.UTF_8));
                }
                CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        ack.completeExceptionally(error);
                    } else {
                        ack.complete(metadata);
                    }
                });
                acks.add(ack);
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            acks.forEach(a -> a.cancel(false));
            LOG.warnf("Kafka did not acknowledge %d event(s) within %s", events.size(), timeout);
            throw unavailable();
        } catch (ExecutionException e) {
            LOG.warnf("Kafka refused %d event(s): %s", events.size(), e.getCause().toString());
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static ProblemException unavailable() {
        return ProblemException.unavailable("the event log is unavailable; retry with the same idempotency keys",
                Duration.ofSeconds(5));
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
