package com.activityfeed.social.tiles;

import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.TileRef;
import com.activityfeed.messages.Topics;
import com.activityfeed.social.Fixtures;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.PostgresServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.activityfeed.social.Fixtures.as;
import static io.restassured.RestAssured.given;
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
        assertThat(deadLettered(tenant)).containsExactly("{\"v\":2,\"tenantId\":\"" + tenant + "\"}");
    }

    @Test
    void aChangeWhoseDataPostgresRefusesIsDeadLetteredAndTheNextOneStillProjected() {
        String tenant = Fixtures.tenant();
        UUID bad = UUID.randomUUID();
        // a zero byte in a text value: PostgreSQL refuses it (SQLState class 22), so retrying cannot help
        Fixtures.announce(tenant, FeedEvents.TILE_CREATED, bad, new TileRef(bad, "sin\u0000gle", List.of("ada")), null);
        UUID tile = Fixtures.tile(tenant, "ada");
        assertThat(tile).isNotNull();
        assertThat(deadLettered(tenant)).singleElement().asString().contains(bad.toString());
        as(tenant, "grace").get("/api/v1/tiles/{t}/comments", bad).then().statusCode(404);
    }

    /** The values dead-lettered from {@code feed.changes} for {@code tenant}, once there is at least one. */
    private static List<String> deadLettered(String tenant) {
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
            return dead;
        }
    }

    @Test
    void aReadOnlyDatabaseForLongerThanAnyRetryWindowStallsTheProjectionVisiblyAndDeadLettersNothing() throws Exception {
        String tenant = Fixtures.tenant();
        UUID tile = UUID.randomUUID();
        readOnly(true);
        try {
            Fixtures.announce(tenant, FeedEvents.TILE_CREATED, tile, new TileRef(tile, "single", List.of("ada")), null);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(metrics()).contains("pipeline_consumer_stalled{channel=\"feed-changes\"} 1.0");
                given().when().get("/q/health/ready").then().statusCode(503);
            });
            // longer than the 45 s after which valid changes used to be dead-lettered
            long until = System.nanoTime() + Duration.ofSeconds(50).toNanos();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> System.nanoTime() >= until);
        } finally {
            readOnly(false);
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                as(tenant, "grace").put("/api/v1/tiles/{t}/reactions/hype", tile).statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(metrics()).contains("pipeline_consumer_stalled{channel=\"feed-changes\"} 0.0");
            given().when().get("/q/health/ready").then().statusCode(200);
        });
        try (KafkaConsumer<String, String> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            dlq.subscribe(List.of(Topics.dlq(Topics.FEED_CHANGES)));
            List<String> dead = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                dlq.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenant.equals(r.key())) {
                        dead.add(r.value());
                    }
                });
            }
            assertThat(dead).isEmpty();
        }
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** What a replica that became read-only after a failover answers: SQLState 25006 on every write. */
    private static void readOnly(boolean on) throws Exception {
        try (Connection c = DriverManager.getConnection(Infra.shared().jdbcUrl("social"), PostgresServer.USER, "");
             Statement s = c.createStatement()) {
            s.execute("SET default_transaction_read_only = off");
            s.execute(on ? "ALTER SYSTEM SET default_transaction_read_only = on"
                    : "ALTER SYSTEM RESET default_transaction_read_only");
            s.execute("SELECT pg_reload_conf()");
        }
    }
}
