package com.activityfeed.feed.changes;

import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class ChangeRelayTest {
    private final EventIngestService store;

    ChangeRelayTest(EventIngestService store) {
        this.store = store;
    }

    @Test
    void storedChangesReachFeedChangesInSequenceOrder() {
        String tenant = "relay-" + UUID.randomUUID().toString().substring(0, 8);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            store.store(List.of(new RawEvent(1, id, tenant, "badge_earned", null, null, Instant.now(), Instant.now(),
                    null, null, "api", Priority.HIGH, List.of(), null, null, null, null, null)));
        }

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "relay-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.FEED_CHANGES));
            List<FeedChange> mine = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    FeedChange change = MessageCodec.readFeedChange(r.value());
                    if (change.tenantId().equals(tenant)) {
                        assertThat(r.key()).isEqualTo(tenant);
                        mine.add(change);
                    }
                });
                return mine.size() >= 3;
            });
            assertThat(mine).extracting(FeedChange::seq).containsExactly(1L, 2L, 3L);
            assertThat(mine).extracting(FeedChange::tileId).containsExactlyElementsOf(ids);
            assertThat(mine).allSatisfy(c -> assertThat(c.event()).isEqualTo(FeedEvents.TILE_CREATED));
        }
    }
}
