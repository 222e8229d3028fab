package com.activityfeed.social.erasure;

import com.activityfeed.kafka.KafkaProducers;
import com.activityfeed.messages.ErasureRequest;
import com.activityfeed.messages.ErasureResult;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Consumes {@code erasure.requests} in social-service's own group (so a request made while this
 * service was down is done when it is back), does social's part and reports it on
 * {@code erasure.results}; the request is acknowledged only after Kafka took the report.
 */
@ApplicationScoped
public class ErasureConsumer {
    public static final String CHANNEL = "erasure-requests";
    private static final Logger LOG = Logger.getLogger(ErasureConsumer.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final SocialEraser eraser;
    private final KafkaProducers producers;
    private final ErasureConfig config;
    private volatile KafkaProducer<String, String> producer;

    public ErasureConsumer(SocialEraser eraser, KafkaProducers producers, ErasureConfig config) {
        this.eraser = eraser;
        this.producers = producers;
        this.config = config;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(String value) {
        ErasureRequest request;
        try {
            request = MessageCodec.readErasureRequest(value);
        } catch (MessageCodec.MalformedMessageException e) {
            LOG.errorf("unreadable erasure request skipped: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().item(() -> {
                    eraser.apply(request);
                    report(request);
                    LOG.infof("erasure %s done and reported", request.id());
                    return (Void) null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().invoke(e -> LOG.warnf("erasure %s failed, retrying: %s", request.id(), e.toString()))
                .onFailure().retry().withBackOff(config.retryBackoff(), config.retryBackoffMax())
                .expireIn(config.retryFor().toMillis())
                .onFailure().invoke(e -> LOG.errorf("erasure %s failed for %s; feed-service re-sends it: %s",
                        request.id(), config.retryFor(), e.toString()));
    }

    private void report(ErasureRequest request) {
        ErasureResult result = new ErasureResult(ErasureResult.VERSION, request.id(), request.tenantId(),
                ErasureResult.SOCIAL, Instant.now());
        try {
            producer().send(new ProducerRecord<>(Topics.ERASURE_RESULTS, request.tenantId(), MessageCodec.write(result)))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting erasure " + request.id(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot report erasure " + request.id() + ": " + e, e);
        }
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = producers.create(KafkaProducers.Options.of("social-erasure", SEND_TIMEOUT));
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
