package com.activityfeed.social.tiles;

import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.TileRef;
import com.activityfeed.messages.Topics;
import com.activityfeed.social.Fixtures;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.activityfeed.social.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "social"))
class TileProjectionConsumerTest {

    @Test
    void aTileAnnouncedWhilePostgresIsDownIsKnownOnceItIsBack() {
        String tenant = Fixtures.tenant();
        UUID tile = UUID.randomUUID();
        Infra.shared().postgres().stop();
        try {
            Fixtures.announce(tenant, FeedEvents.TILE_CREATED, tile, new TileRef(tile, "single", List.of("ada")), null);
        } finally {
            Infra.shared().postgres().start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                as(tenant, "grace").put("/api/v1/tiles/{t}/reactions/hype", tile).statusCode() == 200);
    }

    @Test
    void anUnreadableChangeIsDeadLetteredAndTheNextOneStillProjected() {
        String tenant = Fixtures.tenant();
        Fixtures.send(Topics.FEED_CHANGES, tenant, "{\"v\":2,\"tenantId\":\"" + tenant + "\"}");
        UUID tile = Fixtures.tile(tenant, "ada");
        assertThat(tile).isNotNull();
        try (KafkaConsumer<String, String> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            dlq.subscribe(List.of(Topics.dlq(Topics.FEED_CHANGES)));
            List<String> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenant.equals(r.key())) {
                        dead.add(r.value());
                    }
                });
                return !dead.isEmpty();
            });
            assertThat(dead).containsExactly("{\"v\":2,\"tenantId\":\"" + tenant + "\"}");
        }
    }
}
