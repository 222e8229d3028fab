package com.activityfeed.feed.ingest;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.PostgresServer;
import com.activityfeed.testsupport.infra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class RawEventConsumerTest {
    @Test
    void eventsFromKafkaAreGroupedAndAPoisonMessageGoesToTheDlqWhileTheRestCarriesOn() throws Exception {
        String tenant = TestEvents.tenant("consume");
        Instant t0 = Instant.now().minusSeconds(60);
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(TestEvents.event(tenant, "streak_milestone", t0.plusSeconds(i)).build());
        }
        String poison = "{\"v\":1,\"tenantId\":\"" + tenant + "\",\"not\":\"an event\"}";
        double recordsBefore = metric("feed_consumer_batch_records_sum");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, MessageCodec.write(events.get(0)))).get();
            producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, poison)).get();
            for (RawEvent e : events.subList(1, 5)) {
                producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, MessageCodec.write(e))).get();
            }
            // a redelivery of an event already stored changes nothing
            producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, MessageCodec.write(events.get(2)))).get();
        }
        String token = TestTokens.reader(tenant, "u");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(token).when()
                .get("/api/v1/feed").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(1))
                .body("items[0].count", org.hamcrest.Matchers.equalTo(5)));
        // every record handed to the consumer is counted in its poll's batch, the poison one and the redelivery too
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(metric("feed_consumer_batch_records_sum") - recordsBefore).isGreaterThanOrEqualTo(7.0));

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.dlq(Topics.ACTIVITY_RAW)));
            List<ConsumerRecord<String, String>> mine = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenant.equals(r.key())) {
                        mine.add(r);
                    }
                });
                return !mine.isEmpty();
            });
            assertThat(mine).hasSize(1);
            assertThat(mine.getFirst().value()).isEqualTo(poison);
            assertThat(new String(mine.getFirst().headers().lastHeader(Topics.HEADER_ERROR).value(), StandardCharsets.UTF_8))
                    .contains("RawEvent needs id");
            assertThat(new String(mine.getFirst().headers().lastHeader(Topics.HEADER_ORIGINAL_TOPIC).value(),
                    StandardCharsets.UTF_8)).isEqualTo(Topics.ACTIVITY_RAW);
        }
    }

    @Test
    void aReadOnlyDatabaseStallsTheConsumerVisiblyAndNothingIsDeadLetteredOrLost() throws Exception {
        String tenant = TestEvents.tenant("readonly");
        Instant t0 = Instant.now().minusSeconds(60);
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(TestEvents.event(tenant, "badge_earned", t0.plusSeconds(i)).priority(Priority.HIGH).build());
        }
        // what a replica that became read-only after a failover answers: SQLState 25006 on every write
        readOnly(true);
        try {
            send(tenant, events.stream().map(MessageCodec::write).toList());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(metric("pipeline_consumer_stalled{channel=\"activity-raw\"}")).isEqualTo(1.0);
                assertThat(metric("pipeline_consumer_retries_total{channel=\"activity-raw\"}")).isGreaterThan(0.0);
                given().when().get("/q/health/ready").then().statusCode(503)
                        .body(org.hamcrest.Matchers.containsString("stalled"));
            });
        } finally {
            readOnly(false);
        }
        String token = TestTokens.reader(tenant, "u");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(token).when()
                .get("/api/v1/feed").then().statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(3)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(metric("pipeline_consumer_stalled{channel=\"activity-raw\"}")).isEqualTo(0.0);
            given().when().get("/q/health/ready").then().statusCode(200);
        });
        assertThat(deadLettered(tenant, Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void onlyTheRecordWhoseDataTheDatabaseRefusesIsDeadLetteredTheRestOfItsBatchIsStored() throws Exception {
        onlyTheRefusedEventIsDeadLetteredAlone("nul", false);
    }

    /**
     * Three events, the middle one's data refused by the database, sent as a record each or as one
     * record of all three: the other two are stored, and the DLQ holds the refused event alone, as a
     * record of its own (a re-drive sends back only what was not stored).
     */
    private static void onlyTheRefusedEventIsDeadLetteredAlone(String prefix, boolean oneRecord) throws Exception {
        String tenant = TestEvents.tenant(prefix);
        Instant t0 = Instant.now().minusSeconds(60);
        RawEvent before = TestEvents.event(tenant, "badge_earned", t0).priority(Priority.HIGH).build();
        // a NUL character is valid JSON, but PostgreSQL text and jsonb refuse it (SQLState class 22)
        RawEvent refused = TestEvents.event(tenant, "badge_earned", t0.plusSeconds(1)).priority(Priority.HIGH)
                .title("nul \u0000 inside").build();
        RawEvent after = TestEvents.event(tenant, "badge_earned", t0.plusSeconds(2)).priority(Priority.HIGH).build();
        List<RawEvent> events = List.of(before, refused, after);
        send(tenant, oneRecord ? List.of(MessageCodec.write(events)) : events.stream().map(MessageCodec::write).toList());

        String token = TestTokens.reader(tenant, "u");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(token).when()
                .get("/api/v1/feed").then().statusCode(200).body("items.id", org.hamcrest.Matchers.containsInAnyOrder(
                        before.id().toString(), after.id().toString())));
        List<ConsumerRecord<String, String>> dead = deadLettered(tenant, Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        assertThat(dead.getFirst().value()).isEqualTo(MessageCodec.write(refused));
    }

    /** A batch request's events, one record of ingest's: stored as if each had been its own record, in order. */
    @Test
    void aRecordOfSeveralEventsIsStoredEventByEventAndGroups() throws Exception {
        String tenant = TestEvents.tenant("batchrec");
        Instant t0 = Instant.now().minusSeconds(60);
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(TestEvents.event(tenant, "streak_milestone", t0.plusSeconds(i)).build());
        }
        RawEvent urgent = TestEvents.event(tenant, "badge_earned", t0.plusSeconds(5)).priority(Priority.HIGH).build();
        events.add(urgent);
        send(tenant, List.of(MessageCodec.write(events)));

        String token = TestTokens.reader(tenant, "u");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(token).when()
                .get("/api/v1/feed").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(2))
                .body("items[0].id", org.hamcrest.Matchers.equalTo(urgent.id().toString()))
                .body("items[1].count", org.hamcrest.Matchers.equalTo(4)));
        assertThat(deadLettered(tenant, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void ofARecordOfSeveralEventsOnlyTheEventTheDatabaseRefusesIsDeadLetteredAlone() throws Exception {
        onlyTheRefusedEventIsDeadLetteredAlone("batchnul", true);
    }

    @Test
    void aRecordOfSeveralEventsWithOneOfAnotherTenantIsDeadLetteredWholeAndNothingOfItStored() throws Exception {
        String tenant = TestEvents.tenant("batchkey");
        Instant t0 = Instant.now().minusSeconds(60);
        RawEvent mine = TestEvents.event(tenant, "badge_earned", t0).priority(Priority.HIGH).build();
        RawEvent foreign = TestEvents.event(TestEvents.tenant("other"), "badge_earned", t0).priority(Priority.HIGH).build();
        String record = MessageCodec.write(List.of(mine, foreign));
        RawEvent marker = TestEvents.event(tenant, "badge_earned", t0.plusSeconds(1)).priority(Priority.HIGH).build();
        send(tenant, List.of(record, MessageCodec.write(marker)));

        String token = TestTokens.reader(tenant, "u");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(token).when()
                .get("/api/v1/feed").then().statusCode(200).body("items.id", org.hamcrest.Matchers.contains(marker.id().toString())));
        List<ConsumerRecord<String, String>> dead = deadLettered(tenant, Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        assertThat(dead.getFirst().value()).isEqualTo(record);
        assertThat(new String(dead.getFirst().headers().lastHeader(Topics.HEADER_ERROR).value(), StandardCharsets.UTF_8))
                .contains("differs from the event's tenant");
    }

    private static void send(String tenant, List<String> values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, value));
            }
            producer.flush();
        }
    }

    private static void readOnly(boolean on) throws Exception {
        try (Connection c = DriverManager.getConnection(Infra.shared().jdbcUrl("feed"), PostgresServer.USER, "");
             Statement s = c.createStatement()) {
            s.execute("SET default_transaction_read_only = off");
            s.execute(on ? "ALTER SYSTEM SET default_transaction_read_only = on" : "ALTER SYSTEM RESET default_transaction_read_only");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private static double metric(String series) {
        String body = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).orElse(Double.NaN);
    }

    private static List<ConsumerRecord<String, String>> deadLettered(String tenant, Duration within) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.dlq(Topics.ACTIVITY_RAW)));
            List<ConsumerRecord<String, String>> mine = new ArrayList<>();
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline && mine.isEmpty()) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenant.equals(r.key())) {
                        mine.add(r);
                    }
                });
            }
            // whatever else arrived for the tenant within a moment more
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                if (tenant.equals(r.key())) {
                    mine.add(r);
                }
            });
            return mine;
        }
    }
}
