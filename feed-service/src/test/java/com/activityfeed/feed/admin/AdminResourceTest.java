package com.activityfeed.feed.admin;

import com.activityfeed.feed.TestDb;
import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class AdminResourceTest {
    private static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");

    private final EventIngestService ingest;
    private final AgroalDataSource dataSource;

    AdminResourceTest(EventIngestService ingest, AgroalDataSource dataSource) {
        this.ingest = ingest;
        this.dataSource = dataSource;
    }

    /** Every tile of the tenant: id -> kind, count, occurredAt, member ids and the JSON body. */
    private Map<String, String> tiles(String tenant) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT t.id, t.kind, t.count, t.occurred_at, t.body::text,
                       (SELECT string_agg(e.id::text, ',' ORDER BY e.pos) FROM event e WHERE e.tile_id = t.id)
                FROM tile t WHERE t.tenant_id = ?""")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2) + "|" + rs.getInt(3) + "|" + rs.getTimestamp(4).toInstant()
                            + "|" + rs.getString(6) + "|" + rs.getString(5));
                }
            }
        }
        return out;
    }

    @Test
    void rebuildingFromTheRawLogGivesTheSameTilesWithTheSameIds() throws Exception {
        String tenant = TestEvents.tenant("rebuild");
        Random random = new Random(7);
        List<RawEvent> log = new ArrayList<>();
        String[] types = {"badge_earned", "xp_rank_up", "deploy.finished"};
        for (int i = 0; i < 300; i++) {
            log.add(TestEvents.event(tenant, types[random.nextInt(3)], T0.plusSeconds(i * 20L - random.nextInt(400)))
                    .actor("u" + random.nextInt(8), null).priority(random.nextInt(8) == 0 ? Priority.HIGH : Priority.NORMAL)
                    .tags(random.nextBoolean() ? "a" : "b").build());
        }
        // consumed in uneven batches, with some redeliveries
        int from = 0;
        while (from < log.size()) {
            int to = Math.min(log.size(), from + 1 + random.nextInt(40));
            ingest.store(log.subList(from, to));
            if (random.nextInt(4) == 0) {
                ingest.store(log.subList(from, to));
            }
            from = to;
        }
        Map<String, String> live = tiles(tenant);
        assertThat(live.values()).anyMatch(v -> v.startsWith("group"));
        assertThat(live.values()).anyMatch(v -> v.startsWith("single"));

        given().auth().oauth2(TestTokens.admin(tenant)).when().post("/api/v1/feed/admin/rebuild").then().statusCode(200)
                .body("events", equalTo(300));
        assertThat(tiles(tenant)).isEqualTo(live);
    }

    @Test
    void expiredMembersLeaveTheirGroupAndAnEmptyGroupIsRemoved() throws Exception {
        String tenant = TestEvents.tenant("expire");
        Instant now = Instant.now();
        // far enough ahead that a loaded machine still reads the feed before they expire
        Instant soon = now.plusSeconds(8);
        RawEvent a = TestEvents.event(tenant, "x", now.minusSeconds(100)).expiresAt(soon).build();
        RawEvent b = TestEvents.event(tenant, "x", now.minusSeconds(99)).expiresAt(soon).build();
        RawEvent c = TestEvents.event(tenant, "x", now.minusSeconds(98)).expiresAt(now.plusSeconds(3600)).build();
        RawEvent single = TestEvents.event(tenant, "y", now.minusSeconds(90)).expiresAt(soon).build();
        ingest.store(List.of(a, b, c, single));
        String reader = TestTokens.reader(tenant, "u");
        given().auth().oauth2(reader).when().get("/api/v1/feed").then().body("items.size()", equalTo(2));

        await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(soon.plusSeconds(1)));
        given().auth().oauth2(TestTokens.admin(tenant)).when().post("/api/v1/feed/admin/housekeeping").then()
                .statusCode(200);
        given().auth().oauth2(reader).when().get("/api/v1/feed").then().body("items.size()", equalTo(1))
                .body("items[0].kind", equalTo("group")).body("items[0].count", equalTo(1))
                .body("items[0].samples.eventId", equalTo(List.of(c.id().toString())))
                .body("items[0].occurredAt", equalTo(com.activityfeed.feed.tiles.TileBuilder.time(a.occurredAt())));
        assertThat(changeEvents(tenant)).endsWith("activity.event.updated", "activity.event.updated",
                "activity.event.removed");
    }

    @Test
    void theChangeLogKeepsAtMostTheConfiguredNumberOfChangesPerTenant() throws Exception {
        String tenant = TestEvents.tenant("prune");
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            events.add(TestEvents.event(tenant, "x", T0.plusSeconds(i)).priority(Priority.HIGH).build());
        }
        ingest.store(events);
        assertThat(changeEvents(tenant)).hasSize(60);
        // changes still waiting for the relay are never pruned: wait until the relay has sent them
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxSize(tenant) == 0);
        given().auth().oauth2(TestTokens.admin(tenant)).when().post("/api/v1/feed/admin/housekeeping").then()
                .statusCode(200);
        assertThat(changeEvents(tenant)).hasSize(50); // %test.feed.housekeeping.max-changes-per-tenant=50
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT min(seq), max(seq) FROM change_log WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(11);
                assertThat(rs.getLong(2)).isEqualTo(60);
            }
        }
    }

    private long outboxSize(String tenant) throws Exception {
        return TestDb.number(dataSource, "SELECT count(*) FROM change_outbox WHERE tenant_id = ?", tenant);
    }

    private List<String> changeEvents(String tenant) throws Exception {
        List<String> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT event FROM change_log WHERE tenant_id = ? ORDER BY seq")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(rs.getString(1));
                }
            }
        }
        return events;
    }

    @Test
    void consumerLagDlqDepthAndRedrive() {
        String tenant = TestEvents.tenant("redrive");
        String admin = TestTokens.admin(tenant);
        given().auth().oauth2(admin).when().get("/api/v1/feed/admin/consumer-lag").then().statusCode(200)
                .body("topic", equalTo(Topics.ACTIVITY_RAW)).body("partitions.size()", equalTo(4));
        long before = given().auth().oauth2(admin).when().get("/api/v1/feed/admin/dlq").then().statusCode(200)
                .extract().jsonPath().getLong("total");
        // an event that was dead-lettered while its cause (say, a database fault) was not fixed yet
        RawEvent parked = TestEvents.event(tenant, "x", Instant.now()).build();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.dlq(Topics.ACTIVITY_RAW), tenant, MessageCodec.write(parked))).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        given().auth().oauth2(admin).when().get("/api/v1/feed/admin/dlq").then().body("total", equalTo((int) before + 1));
        given().auth().oauth2(admin).queryParam("limit", MAX).when().post("/api/v1/feed/admin/dlq/redrive").then()
                .statusCode(200).body("remaining", equalTo(0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TestTokens.reader(tenant, "u"))
                .when().get("/api/v1/feed/tiles/" + parked.id()).then().statusCode(200));
        given().auth().oauth2(admin).queryParam("limit", 1001).when().post("/api/v1/feed/admin/dlq/redrive").then()
                .statusCode(400);
        given().auth().oauth2(TestTokens.reader(tenant, "u")).when().get("/api/v1/feed/admin/dlq").then().statusCode(403);
    }

    private static final int MAX = AdminResource.MAX_REDRIVE;
}
