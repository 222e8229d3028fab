package com.activityfeed.kafka.consume;

import com.activityfeed.kafka.KafkaProducers;
import com.activityfeed.messages.Topics;
import jakarta.annotation.PreDestroy;
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
 * Sends a message that can never be processed to {@code <topic>.dlq}, with the reason and its
 * origin in headers (the shared Topics.HEADER_* names), and waits for the acknowledgement, so the
 * offset is committed only once the message is safe in the DLQ. A failed send throws: the caller
 * retries it like any other failure that is not the message's own.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducers producers;
    private volatile KafkaProducer<String, String> producer;

    public DeadLetters(KafkaProducers producers) {
        this.producers = producers;
    }

    public void send(ConsumerRecord<String, String> record, Throwable error) throws Exception {
        ProducerRecord<String, String> dead = new ProducerRecord<>(Topics.dlq(record.topic()), record.key(), record.value());
        dead.headers().add(Topics.HEADER_ERROR, bytes(String.valueOf(error.getMessage())));
        dead.headers().add(Topics.HEADER_ERROR_CLASS, bytes(error.getClass().getSimpleName()));
        dead.headers().add(Topics.HEADER_ORIGINAL_TOPIC, bytes(record.topic()));
        dead.headers().add(Topics.HEADER_ORIGINAL_PARTITION, bytes(Integer.toString(record.partition())));
        dead.headers().add(Topics.HEADER_ORIGINAL_OFFSET, bytes(Long.toString(record.offset())));
        try {
            producer().send(dead).get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("no acknowledgement from " + dead.topic() + " within " + TIMEOUT);
        }
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = producers.create(KafkaProducers.Options.of("dead-letters", TIMEOUT));
                }
                p = producer;
            }
        }
        return p;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
