package com.activityfeed.feed.stream;

import com.activityfeed.feed.read.UnreadChanged;
import com.activityfeed.kafka.KafkaProducers;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Topics;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * After a user's read action committed, sends a {@code feed.unread} notice (seq 0, the user's id)
 * through {@code feed.changes}, so the user's streams on every replica get it. A notice is the
 * whole state ({@code unread, capped}), so a lost one is corrected by the next.
 */
@ApplicationScoped
public class UnreadNoticePublisher {
    private static final Logger LOG = Logger.getLogger(UnreadNoticePublisher.class);

    private final KafkaProducers producers;
    private KafkaProducer<String, String> producer;

    public UnreadNoticePublisher(KafkaProducers producers) {
        this.producers = producers;
    }

    void start(@Observes StartupEvent event) {
        // a read action must not hang on a broker that is down
        producer = producers.create(KafkaProducers.Options.of("feed-unread-notices", Duration.ofSeconds(2)));
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
