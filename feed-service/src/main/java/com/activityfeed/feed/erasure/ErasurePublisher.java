package com.activityfeed.feed.erasure;

import com.activityfeed.kafka.KafkaProducers;
import com.activityfeed.messages.ErasureRequest;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Topics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Sends erasure requests to {@code erasure.requests} and waits for Kafka's acknowledgement. */
@ApplicationScoped
public class ErasurePublisher {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducers producers;
    private volatile KafkaProducer<String, String> producer;

    public ErasurePublisher(KafkaProducers producers) {
        this.producers = producers;
    }

    /** True once Kafka acknowledged the request; false when it could not be sent now (the re-sender tries again). */
    public boolean publish(ErasureRequest request) {
        try {
            producer().send(new ProducerRecord<>(Topics.ERASURE_REQUESTS, request.tenantId(), MessageCodec.write(request)))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        }
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = producers.create(KafkaProducers.Options.of("feed-erasure", TIMEOUT));
                }
                p = producer;
            }
        }
        return p;
    }

    void stop(@Observes ShutdownEvent event) {
        KafkaProducer<String, String> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }
}
