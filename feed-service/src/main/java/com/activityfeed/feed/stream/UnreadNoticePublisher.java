package com.activityfeed.feed.stream;

import com.activityfeed.feed.read.UnreadChanged;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Topics;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * After a user's read action committed, sends a {@code feed.unread} notice (seq 0, the user's id)
 * through {@code feed.changes}, so the user's streams on every replica get it. A notice is the
 * whole state ({@code unread, capped}), so a lost one is corrected by the next.
 */
@ApplicationScoped
public class UnreadNoticePublisher {
    private static final Logger LOG = Logger.getLogger(UnreadNoticePublisher.class);

    private final Map<String, Object> kafkaConfig;
    private KafkaProducer<String, String> producer;

    public UnreadNoticePublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.kafkaConfig = kafkaConfig;
    }

    void start(@Observes StartupEvent event) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.keySet().removeIf(k -> !ProducerConfig.configNames().contains(k));
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // a read action must not hang on a broker that is down
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(config);
    }

    void stop(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
    }

    void onUnreadChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) UnreadChanged changed) {
        ObjectNode data = MessageCodec.mapper().createObjectNode()
                .put("unread", changed.unread())
                .put("capped", changed.capped());
        FeedChange notice = new FeedChange(FeedChange.VERSION, changed.tenantId(), 0, changed.userId(),
                FeedEvents.UNREAD, null, null, null, List.of(), Instant.now(), null, data);
        try {
            producer.send(new ProducerRecord<>(Topics.FEED_CHANGES, changed.tenantId(), MessageCodec.write(notice)),
                    (metadata, error) -> {
                        if (error != null) {
                            LOG.warnf("feed.unread notice for %s/%s not sent: %s",
                                    changed.tenantId(), changed.userId(), error.toString());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warnf("feed.unread notice for %s/%s not sent: %s", changed.tenantId(), changed.userId(), e.toString());
        }
    }
}
