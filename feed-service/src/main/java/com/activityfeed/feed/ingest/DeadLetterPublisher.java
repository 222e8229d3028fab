package com.activityfeed.feed.ingest;

import com.activityfeed.kafka.KafkaProducers;
import com.activityfeed.messages.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a message that can never be processed to {@code activity.raw.dlq}, with the reason and
 * its origin in headers (the shared Topics.HEADER_* names), and waits for the
 * acknowledgement, so the offset is committed only once the message is safe in the DLQ.
 */
// created at start-up, so its counter is exported (as 0) before the first message
@ApplicationScoped
@Startup
public class DeadLetterPublisher {
    private final KafkaProducer<String, String> producer;
    private final Counter dead;

    public DeadLetterPublisher(KafkaProducers producers, MeterRegistry registry) {
        // feed_dlq_messages_total{topic}: what an alert on poison messages watches
        this.dead = Counter.builder("feed.dlq.messages").tag("topic", Topics.dlq(Topics.ACTIVITY_RAW))
                .description("messages sent to a dead-letter topic").register(registry);
        this.producer = producers.create(KafkaProducers.Options.of("feed-raw-dlq", Duration.ofSeconds(10)));
    }

    public void send(ConsumerRecord<String, String> record, Throwable error) {
        ProducerRecord<String, String> dead = new ProducerRecord<>(Topics.dlq(Topics.ACTIVITY_RAW), record.key(), record.value());
        dead.headers().add(Topics.HEADER_ERROR, bytes(String.valueOf(error.getMessage())));
        dead.headers().add(Topics.HEADER_ERROR_CLASS, bytes(error.getClass().getSimpleName()));
        dead.headers().add(Topics.HEADER_ORIGINAL_TOPIC, bytes(record.topic()));
        dead.headers().add(Topics.HEADER_ORIGINAL_PARTITION, bytes(Integer.toString(record.partition())));
        dead.headers().add(Topics.HEADER_ORIGINAL_OFFSET, bytes(Long.toString(record.offset())));
        try {
            producer.send(dead).get(30, TimeUnit.SECONDS);
            this.dead.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot dead-letter " + record.topic() + "/" + record.partition() + "@"
                    + record.offset(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
