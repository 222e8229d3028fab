package com.activityfeed.system.erasure;

import com.activityfeed.messages.FeedEvents;
import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.PostgresServer;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure (SPEC §6a, R4) over the packaged services, the real broker and both databases: a person
 * with events (single and in a group), reactions, comments, chat messages, read state and a stream
 * is erased with one call; afterwards no text or JSON column of any table of either database holds
 * their id or name (the tables are read from information_schema, so a new table cannot be
 * forgotten), their events show "Deleted user", counts are right, a second erasure changes nothing,
 * a rebuild does not bring them back, and social-service does its part when it returns from an outage.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErasureIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    /** A person of {@code tenant} with a distinctive id and name, so a leftover is found anywhere. */
    private record Person(String tenant, String id, String name) {
        static Person create(String tenant) {
            String tag = UUID.randomUUID().toString().substring(0, 8);
            return new Person(tenant, "erin-" + tag, "Erasable" + tag);
        }

        String token() {
            return TestTokens.mint(TestTokens.SECRET, TestTokens.ISSUER, id, tenant, name, List.of("reader"),
                    Duration.ofHours(1));
        }
    }

    @Test
    @Order(1)
    void aPersonIsErasedFromEveryTableOfBothServicesAndTheirEventsStayAsDeletedUser() throws Exception {
        String tenant = "erasure-" + UUID.randomUUID().toString().substring(0, 8);
        Person erin = Person.create(tenant);

        // Erin's own single tile (with a producer title and payload naming her) and Grace's tile
        String erinTile = postEvent(tenant, erin.id(), erin.name(), "high", "badge_earned",
                "\"title\":\"" + erin.name() + " earned Night Owl\",\"payload\":{\"note\":\"" + erin.name() + " at 3am\"},");
        String graceTile = postEvent(tenant, "grace", "Grace", "high", "badge_earned", "");
        // a group of three: Erin among the members
        post(tenant, "grace", "Grace", "normal", "task_completed", "");
        post(tenant, erin.id(), erin.name(), "normal", "task_completed", "");
        post(tenant, "linus", "Linus", "normal", "task_completed", "");
        JsonNode group = await().atMost(WAIT).until(() -> groupOf(tenant, "task_completed"),
                g -> g != null && g.path("count").asInt() == 3);
        String groupTile = group.path("id").asText();
        assertThat(group.path("actors").findValuesAsText("name")).contains(erin.name());

        // social: Erin and Linus react to and comment on Grace's tile, Linus reacts to Erin's; both chat
        awaitSocialKnows(tenant, graceTile);
        awaitSocialKnows(tenant, erinTile);
        assertThat(send("PUT", system.social, "/api/v1/tiles/" + graceTile + "/reactions/hype", erin.token(), null)
                .statusCode()).isEqualTo(200);
        assertThat(send("PUT", system.social, "/api/v1/tiles/" + graceTile + "/reactions/respect", erin.token(), null)
                .statusCode()).isEqualTo(200);
        assertThat(send("PUT", system.social, "/api/v1/tiles/" + graceTile + "/reactions/hype", reader(tenant, "linus"), null)
                .statusCode()).isEqualTo(200);
        assertThat(send("PUT", system.social, "/api/v1/tiles/" + erinTile + "/reactions/tribute", reader(tenant, "linus"), null)
                .statusCode()).isEqualTo(200);
        assertThat(send("POST", system.social, "/api/v1/tiles/" + graceTile + "/comments", erin.token(),
                "{\"body\":\"Congrats from " + erin.name() + "\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", system.social, "/api/v1/tiles/" + graceTile + "/comments", reader(tenant, "linus"),
                "{\"body\":\"Well done\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", system.social, "/api/v1/chat/messages", erin.token(),
                "{\"body\":\"Hello, this is " + erin.name() + "\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", system.social, "/api/v1/chat/messages", reader(tenant, "linus"),
                "{\"body\":\"Hi all\"}").statusCode()).isEqualTo(201);
        // feed: read state and a stream ticket
        assertThat(send("POST", system.feed, "/api/v1/feed/read", erin.token(),
                "{\"tileIds\":[\"" + graceTile + "\"]}").statusCode()).isEqualTo(200);
        assertThat(send("POST", system.feed, "/api/v1/feed/read-all", erin.token(), null).statusCode()).isEqualTo(200);
        assertThat(send("POST", system.feed, "/api/v1/feed/stream-tickets", erin.token(), null).statusCode())
                .isEqualTo(200);
        await().atMost(WAIT).until(() -> tile(tenant, graceTile, "linus").path("commentCount").asLong() == 2
                && tile(tenant, graceTile, "linus").path("reactions").path("hype").asLong() == 2);
        assertThat(leftovers(erin)).as("the person is in the databases before the erasure").isNotEmpty();

        try (SseClient erinStream = SseClient.to(system.feed.url("/api/v1/feed/stream")).bearer(erin.token()).connect();
             SseClient linusStream = SseClient.to(system.feed.url("/api/v1/feed/stream")).bearer(reader(tenant, "linus"))
                     .connect()) {
            erinStream.awaitEvent(FeedEvents.CONNECTED, Duration.ofSeconds(10));
            linusStream.awaitEvent(FeedEvents.CONNECTED, Duration.ofSeconds(10));

            String id = requestErasure(TestTokens.admin(tenant), "{\"userId\":\"" + erin.id() + "\"}");
            JsonNode record = awaitDone(TestTokens.admin(tenant), id);
            assertThat(record.path("tenantId").asText()).isEqualTo(tenant);
            assertThat(record.path("userId").asText()).isEqualTo(erin.id());
            assertThat(record.path("requestedBy").asText()).isEqualTo("admin");
            assertThat(record.path("requestedAt").asText()).isNotBlank();
            assertThat(record.path("completedAt").asText()).isNotBlank();
            assertThat(record.path("services").path("feed").asText()).isEqualTo("done");
            assertThat(record.path("services").path("social").asText()).isEqualTo("done");

            // Erin's open stream is closed; Linus sees her tiles change as ordinary updates
            erinStream.awaitEnd(Duration.ofSeconds(10));
            SseClient.Event updated = linusStream.awaitEvent(e -> FeedEvents.TILE_UPDATED.equals(e.event())
                    && e.data().contains(erinTile), Duration.ofSeconds(10));
            assertThat(JSON.readTree(updated.data()).path("actor").path("name").asText()).isEqualTo("Deleted user");
            linusStream.awaitEvent(e -> FeedEvents.REACTION_UPDATED.equals(e.event()) && e.data().contains(graceTile),
                    Duration.ofSeconds(10));
        }

        // nothing of Erin in any table of either database (social's tile projection follows feed.changes)
        await().atMost(WAIT).untilAsserted(() -> assertThat(leftovers(erin)).isEmpty());

        // her events keep their place as "Deleted user", texts from the catalog, no payload
        JsonNode single = tile(tenant, erinTile, "linus");
        assertThat(single.path("actor").path("id").asText()).isEqualTo("erased");
        assertThat(single.path("actor").path("name").asText()).isEqualTo("Deleted user");
        assertThat(single.path("title").asText()).doesNotContain(erin.name());
        assertThat(single.path("payload").isNull() || single.path("payload").isMissingNode()).isTrue();
        assertThat(single.path("reactions").path("tribute").asLong()).isEqualTo(1);
        JsonNode regrouped = tile(tenant, groupTile, "linus");
        assertThat(regrouped.path("count").asInt()).isEqualTo(3);
        assertThat(regrouped.path("actors").findValuesAsText("name")).contains("Deleted user", "Grace", "Linus");
        assertThat(regrouped.path("samples").findValuesAsText("name")).contains("Deleted user");
        // counts follow: only Linus' reaction and comment are left on Grace's tile
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode grace = tile(tenant, graceTile, "linus");
            assertThat(grace.path("reactions").path("hype").asLong()).isEqualTo(1);
            assertThat(grace.path("reactions").path("respect").asLong()).isEqualTo(0);
            assertThat(grace.path("commentCount").asLong()).isEqualTo(1);
        });
        JsonNode comments = JSON.readTree(send("GET", system.social, "/api/v1/tiles/" + graceTile + "/comments",
                reader(tenant, "linus"), null).body());
        assertThat(comments.path("items").findValuesAsText("body")).containsExactly("Well done");
        JsonNode chat = JSON.readTree(send("GET", system.social, "/api/v1/chat/messages", reader(tenant, "linus"), null).body());
        assertThat(chat.path("items").findValuesAsText("body")).containsExactly("Hi all");

        // a second erasure is a no-op: done, and not one change more
        long lastSeq = lastSeq(tenant);
        String again = requestErasure(TestTokens.admin(tenant), "{\"userId\":\"" + erin.id() + "\"}");
        awaitDone(TestTokens.admin(tenant), again);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> lastSeq(tenant) == lastSeq);

        // a rebuild from the raw event table does not bring her back
        HttpResponse<String> rebuilt = send("POST", system.feed, "/api/v1/feed/admin/rebuild", TestTokens.admin(tenant), null);
        assertThat(rebuilt.statusCode()).as(rebuilt.body()).isEqualTo(200);
        assertThat(tile(tenant, erinTile, "linus").path("actor").path("name").asText()).isEqualTo("Deleted user");
        assertThat(tile(tenant, groupTile, "linus").path("count").asInt()).isEqualTo(3);
        await().atMost(WAIT).untilAsserted(() -> assertThat(leftovers(erin)).isEmpty());
    }

    @Test
    @Order(2)
    void anAdminErasesOnlyInTheirOwnTenantAndSeesOnlyTheirOwnRecords() throws Exception {
        String tenant = "erasure-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "erasure-" + UUID.randomUUID().toString().substring(0, 8);
        Person erin = Person.create(tenant);
        String erinTile = postEvent(tenant, erin.id(), erin.name(), "high", "badge_earned", "");

        // the other tenant's admin may not name this tenant, and erasing "erin" there leaves her here
        HttpResponse<String> outside = send("POST", system.feed, "/api/v1/feed/admin/erasures", TestTokens.admin(other),
                "{\"userId\":\"" + erin.id() + "\",\"tenantId\":\"" + tenant + "\"}");
        assertThat(outside.statusCode()).as(outside.body()).isEqualTo(403);
        assertThat(outside.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        String theirs = requestErasure(TestTokens.admin(other), "{\"userId\":\"" + erin.id() + "\"}");
        awaitDone(TestTokens.admin(other), theirs);
        assertThat(tile(tenant, erinTile, "grace").path("actor").path("name").asText()).isEqualTo(erin.name());

        String mine = requestErasure(TestTokens.admin(tenant), "{\"userId\":\"" + erin.id() + "\"}");
        HttpResponse<String> foreign = send("GET", system.feed, "/api/v1/feed/admin/erasures/" + mine,
                TestTokens.admin(other), null);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(send("GET", system.feed, "/api/v1/feed/admin/erasures/" + mine, reader(tenant, "grace"), null)
                .statusCode()).isEqualTo(403);
        assertThat(send("POST", system.feed, "/api/v1/feed/admin/erasures", reader(tenant, "grace"),
                "{\"userId\":\"x\"}").statusCode()).isEqualTo(403);
        // the platform role may read any tenant's record
        awaitDone(TestTokens.platform(other), mine);

        // the user id is validated at its edge: 128 characters ok, 129 or none rejected
        assertThat(send("POST", system.feed, "/api/v1/feed/admin/erasures", TestTokens.admin(tenant),
                "{\"userId\":\"" + "u".repeat(128) + "\"}").statusCode()).isEqualTo(202);
        for (String bad : List.of("{\"userId\":\"" + "u".repeat(129) + "\"}", "{}", "{\"userId\":\"\"}", "{\"userId\":7}", "[]")) {
            HttpResponse<String> rejected = send("POST", system.feed, "/api/v1/feed/admin/erasures",
                    TestTokens.admin(tenant), bad);
            assertThat(rejected.statusCode()).as(bad).isEqualTo(400);
            assertThat(rejected.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
    }

    @Test
    @Order(3)
    void withSocialDownTheErasureCompletesWithinTenSecondsOfItsReturn() throws Exception {
        String tenant = "erasure-" + UUID.randomUUID().toString().substring(0, 8);
        Person erin = Person.create(tenant);
        String graceTile = postEvent(tenant, "grace", "Grace", "high", "badge_earned", "");
        awaitSocialKnows(tenant, graceTile);
        assertThat(send("PUT", system.social, "/api/v1/tiles/" + graceTile + "/reactions/hype", erin.token(), null)
                .statusCode()).isEqualTo(200);
        assertThat(send("POST", system.social, "/api/v1/tiles/" + graceTile + "/comments", erin.token(),
                "{\"body\":\"From " + erin.name() + "\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", system.social, "/api/v1/chat/messages", erin.token(),
                "{\"body\":\"" + erin.name() + " here\"}").statusCode()).isEqualTo(201);
        await().atMost(WAIT).until(() -> tile(tenant, graceTile, "linus").path("commentCount").asLong() == 1);

        ServiceProcess social = system.social;
        social.close();
        long returned;
        String id;
        try {
            id = requestErasure(TestTokens.admin(tenant), "{\"userId\":\"" + erin.id() + "\"}");
            JsonNode pending = await().atMost(WAIT).until(() -> record(TestTokens.admin(tenant), id),
                    r -> "done".equals(r.path("services").path("feed").asText()));
            assertThat(pending.path("status").asText()).isEqualTo("pending");
            assertThat(pending.path("services").path("social").asText()).isEqualTo("pending");
            assertThat(count("social", "SELECT count(*) FROM comment WHERE tenant_id = ?", tenant)).isEqualTo(1);
        } finally {
            social.launch();
            returned = System.nanoTime();
        }
        awaitDone(TestTokens.admin(tenant), id);
        Duration took = Duration.ofNanos(System.nanoTime() - returned);
        System.out.printf("R4: erasure done %d ms after social-service was back (ready); target 10000 ms%n", took.toMillis());
        assertThat(took).as("R4: done within 10 s of the service's return").isLessThanOrEqualTo(Duration.ofSeconds(10));
        await().atMost(WAIT).untilAsserted(() -> assertThat(leftovers(erin)).isEmpty());
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode grace = tile(tenant, graceTile, "linus");
            assertThat(grace.path("reactions").path("hype").asLong()).isEqualTo(0);
            assertThat(grace.path("commentCount").asLong()).isEqualTo(0);
        });
    }

    @Test
    @Order(4)
    void aTenantIsErasedFromEveryTableOfBothServicesAndAnotherTenantIsUntouched() throws Exception {
        String tenant = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        String kept = "kept-" + UUID.randomUUID().toString().substring(0, 8);
        for (String t : List.of(tenant, kept)) {
            seedTenant(t);
        }
        assertThat(tenantLeftovers(tenant)).as("the tenant is in the databases before the erasure").isNotEmpty();
        java.util.Map<String, Long> keptBefore = lasting(tenantRows(kept));
        assertThat(keptBefore).as("the other tenant has rows in both databases")
                .containsKeys("feed.event", "feed.tile", "feed.follow", "feed.read_watermark", "feed.stream_cookie", "social.comment", "social.chat_message", "social.chat_thread",
                        "social.reaction");
        String keptFeed = feedIds(kept);

        // only the platform role may erase a tenant: its own admin may not, nor a reader
        for (String token : List.of(TestTokens.admin(tenant), reader(tenant, "grace"))) {
            HttpResponse<String> refused = send("DELETE", system.feed, "/api/v1/feed/admin/tenants/" + tenant, token, null);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        assertThat(count("feed", "SELECT count(*) FROM event WHERE tenant_id = ?", tenant)).isPositive();
        // the id is validated at its edge: 128 characters accepted, 129 rejected
        assertThat(send("DELETE", system.feed, "/api/v1/feed/admin/tenants/" + "t".repeat(129),
                TestTokens.platform("platform"), null).statusCode()).isEqualTo(400);

        try (SseClient stream = SseClient.to(system.feed.url("/api/v1/feed/stream")).bearer(reader(tenant, "linus"))
                .connect();
             SseClient other = SseClient.to(system.feed.url("/api/v1/feed/stream")).bearer(reader(kept, "linus"))
                     .connect()) {
            stream.awaitEvent(FeedEvents.CONNECTED, Duration.ofSeconds(10));
            other.awaitEvent(FeedEvents.CONNECTED, Duration.ofSeconds(10));

            HttpResponse<String> accepted = send("DELETE", system.feed, "/api/v1/feed/admin/tenants/" + tenant,
                    TestTokens.platform("platform"), null);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            JsonNode body = JSON.readTree(accepted.body());
            assertThat(body.path("tenantId").asText()).isEqualTo(tenant);
            assertThat(body.path("scope").asText()).isEqualTo("tenant");
            assertThat(body.path("status").asText()).isEqualTo("pending");
            String id = body.path("id").asText();
            JsonNode record = awaitDone(TestTokens.platform("platform"), id);
            assertThat(record.path("services").path("feed").asText()).isEqualTo("done");
            assertThat(record.path("services").path("social").asText()).isEqualTo("done");
            assertThat(record.path("completedAt").asText()).isNotBlank();
            assertThat(record.path("requestedBy").asText()).isNotBlank();
            // the tenant's own admin may read the record, another tenant's admin may not
            assertThat(send("GET", system.feed, "/api/v1/feed/admin/erasures/" + id, TestTokens.admin(kept), null)
                    .statusCode()).isEqualTo(404);

            // the tenant's open streams are closed, the other tenant's stays open
            stream.awaitEnd(Duration.ofSeconds(10));
            assertThat(other.status()).isEqualTo(200);
        }

        // nothing of the tenant in any table of either database, apart from the erasure records themselves
        await().atMost(WAIT).untilAsserted(() -> assertThat(tenantLeftovers(tenant)).isEmpty());
        HttpResponse<String> feed = send("GET", system.feed, "/api/v1/feed?limit=50", reader(tenant, "grace"), null);
        assertThat(feed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(feed.body()).path("items")).isEmpty();
        assertThat(JSON.readTree(send("GET", system.social, "/api/v1/chat/messages", reader(tenant, "grace"), null)
                .body()).path("items")).isEmpty();

        // the other tenant is untouched: every row and its feed as before
        assertThat(lasting(tenantRows(kept))).isEqualTo(keptBefore);
        assertThat(feedIds(kept)).isEqualTo(keptFeed);

        // a second erasure of the tenant completes and changes nothing
        HttpResponse<String> again = send("DELETE", system.feed, "/api/v1/feed/admin/tenants/" + tenant,
                TestTokens.platform("platform"), null);
        assertThat(again.statusCode()).isEqualTo(202);
        awaitDone(TestTokens.platform("platform"), JSON.readTree(again.body()).path("id").asText());
        assertThat(tenantLeftovers(tenant)).isEmpty();
        assertThat(lasting(tenantRows(kept))).isEqualTo(keptBefore);
    }

    @Test
    @Order(5)
    void aPersonsOpenStreamsAreClosedOnEveryFeedReplica() throws Exception {
        String tenant = "erasure-" + UUID.randomUUID().toString().substring(0, 8);
        Person erin = Person.create(tenant);
        java.nio.file.Path logs = Infra.root().resolve("system-tests/target/service-logs");
        // a second replica: erasure.requests reaches one member of the feed's group, streams are on both
        try (ServiceProcess replica = ServiceProcess.start("feed-service", Ports.free(),
                ServiceProcess.environment(system.infra, "feed", TestTokens.SECRET), logs);
             SseClient onFirst = SseClient.to(system.feed.url("/api/v1/feed/stream")).bearer(erin.token()).connect();
             SseClient onSecond = SseClient.to(replica.url("/api/v1/feed/stream")).bearer(erin.token()).connect();
             SseClient grace = SseClient.to(replica.url("/api/v1/feed/stream")).bearer(reader(tenant, "grace")).connect()) {
            for (SseClient stream : List.of(onFirst, onSecond, grace)) {
                stream.awaitEvent(FeedEvents.CONNECTED, Duration.ofSeconds(10));
            }
            String id = requestErasure(TestTokens.admin(tenant), "{\"userId\":\"" + erin.id() + "\"}");
            awaitDone(TestTokens.admin(tenant), id);
            onFirst.awaitEnd(Duration.ofSeconds(10));
            onSecond.awaitEnd(Duration.ofSeconds(10));
            assertThat(grace.ended()).as("another user's stream stays open").isFalse();
        }
    }

    /** Events (single and grouped), reactions, comments, chat, follows, read state, a ticket and its cookie. */
    private static void seedTenant(String tenant) throws Exception {
        String single = postEvent(tenant, "grace", "Grace", "high", "badge_earned", "");
        post(tenant, "grace", "Grace", "normal", "task_completed", "");
        post(tenant, "ada", "Ada", "normal", "task_completed", "");
        post(tenant, "linus", "Linus", "normal", "task_completed", "");
        JsonNode group = await().atMost(WAIT).until(() -> groupOf(tenant, "task_completed"),
                g -> g != null && g.path("count").asInt() == 3);
        awaitSocialKnows(tenant, single);
        awaitSocialKnows(tenant, group.path("id").asText());
        String ada = reader(tenant, "ada");
        assertThat(send("PUT", system.social, "/api/v1/tiles/" + single + "/reactions/hype", ada, null).statusCode())
                .isEqualTo(200);
        assertThat(send("POST", system.social, "/api/v1/tiles/" + group.path("id").asText() + "/comments", ada,
                "{\"body\":\"Nice work\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> thread = send("POST", system.social, "/api/v1/chat/threads", ada,
                "{\"title\":\"About the badge\",\"tileId\":\"" + single + "\"}");
        assertThat(thread.statusCode()).as(thread.body()).isEqualTo(201);
        assertThat(send("POST", system.social, "/api/v1/chat/threads/" + JSON.readTree(thread.body()).path("id").asText()
                + "/messages", ada, "{\"body\":\"Well deserved\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", system.social, "/api/v1/chat/messages", ada, "{\"body\":\"Hello\"}").statusCode())
                .isEqualTo(201);
        assertThat(send("PUT", system.feed, "/api/v1/feed/follows/actors/grace", ada, null).statusCode()).isEqualTo(200);
        assertThat(send("POST", system.feed, "/api/v1/feed/read", ada, "{\"tileIds\":[\"" + single + "\"]}")
                .statusCode()).isEqualTo(200);
        assertThat(send("POST", system.feed, "/api/v1/feed/read-all", reader(tenant, "grace"), null).statusCode())
                .isEqualTo(200);
        HttpResponse<String> ticket = send("POST", system.feed, "/api/v1/feed/stream-tickets", ada, null);
        assertThat(ticket.statusCode()).isEqualTo(200);
        assertThat(ticket.headers().firstValue("Set-Cookie")).isPresent();
        await().atMost(WAIT).until(() -> tile(tenant, single, "grace").path("reactions").path("hype").asLong() == 1
                && tile(tenant, group.path("id").asText(), "grace").path("commentCount").asLong() == 1);
    }

    /**
     * Every row of a table with a tenant column, and every text, JSON and array value of any table of
     * either database, that names the tenant; the erasure records (the audit) excepted.
     */
    private static List<String> tenantLeftovers(String tenant) throws SQLException {
        List<String> found = new ArrayList<>();
        tenantRows(tenant).forEach((table, rows) -> found.add(table + " rows: " + rows));
        for (String database : List.of("feed", "social")) {
            try (Connection c = db(database)) {
                for (String[] column : columns(c, "c.data_type IN ('text', 'character varying', 'character', 'json', "
                        + "'jsonb', 'ARRAY', 'USER-DEFINED')")) {
                    if (audit(column[0])) {
                        continue;
                    }
                    long n = countLike(c, column[0], column[1], tenant);
                    if (n > 0) {
                        found.add(database + "." + column[0] + "." + column[1] + ": " + n);
                    }
                }
            }
        }
        return found;
    }

    /** The tenant's row count in every table of either database that has a tenant column (audit excepted). */
    private static java.util.Map<String, Long> tenantRows(String tenant) throws SQLException {
        java.util.Map<String, Long> rows = new java.util.TreeMap<>();
        for (String database : List.of("feed", "social")) {
            try (Connection c = db(database)) {
                List<String[]> tables = columns(c, "c.column_name = 'tenant_id'");
                assertThat(tables).as(database + " has tenant tables").isNotEmpty();
                for (String[] table : tables) {
                    if (audit(table[0])) {
                        continue;
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT count(*) FROM \"" + table[0] + "\" WHERE tenant_id = ?")) {
                        ps.setString(1, tenant);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                rows.put(database + "." + table[0], rs.getLong(1));
                            }
                        }
                    }
                }
            }
        }
        return rows;
    }

    /** Without the rows that leave by themselves (tickets expire in 60 s; outboxes empty once relayed). */
    private static java.util.Map<String, Long> lasting(java.util.Map<String, Long> rows) {
        java.util.Map<String, Long> lasting = new java.util.TreeMap<>(rows);
        lasting.keySet().removeAll(List.of("feed.stream_ticket", "feed.change_outbox", "social.outbox"));
        return lasting;
    }

    private static boolean audit(String table) {
        return table.equals("erasure_request") || table.equals("erasure_applied");
    }

    private static List<String[]> columns(Connection c, String where) throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT c.table_name, c.column_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND (""" + where + ") ORDER BY 1, 2");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                columns.add(new String[]{rs.getString(1), rs.getString(2)});
            }
        }
        return columns;
    }

    private static long countLike(Connection c, String table, String column, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM \"" + table + "\" WHERE \"" + column + "\"::text LIKE ?")) {
            ps.setString(1, "%" + text + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String feedIds(String tenant) throws Exception {
        HttpResponse<String> feed = send("GET", system.feed, "/api/v1/feed?limit=50", reader(tenant, "grace"), null);
        assertThat(feed.statusCode()).isEqualTo(200);
        return JSON.readTree(feed.body()).path("items").findValuesAsText("id").toString();
    }

    // ---------------------------------------------------------------------------------------------

    /** Every text, JSON and array column of every table of both databases that holds the person's id or name. */
    private static List<String> leftovers(Person person) throws SQLException {
        List<String> found = new ArrayList<>();
        for (String database : List.of("feed", "social")) {
            try (Connection c = db(database)) {
                List<String[]> columns = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT c.table_name, c.column_name FROM information_schema.columns c
                        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                          AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED'))
                        ORDER BY 1, 2""");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        columns.add(new String[]{rs.getString(1), rs.getString(2)});
                    }
                }
                assertThat(columns).as(database + " has text columns").isNotEmpty();
                for (String[] column : columns) {
                    // the erasure record names whom it erased (the audit); nothing else may
                    if (column[0].equals("erasure_request") && column[1].equals("user_id")) {
                        continue;
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM \"" + column[0] + "\" WHERE \""
                            + column[1] + "\"::text LIKE ? OR \"" + column[1] + "\"::text LIKE ?")) {
                        ps.setString(1, "%" + person.id() + "%");
                        ps.setString(2, "%" + person.name() + "%");
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                found.add(database + "." + column[0] + "." + column[1] + ": " + rs.getLong(1));
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    private static String requestErasure(String token, String body) throws Exception {
        HttpResponse<String> response = send("POST", system.feed, "/api/v1/feed/admin/erasures", token, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(response.body());
        assertThat(accepted.path("status").asText()).isEqualTo("pending");
        return accepted.path("id").asText();
    }

    private static JsonNode record(String token, String id) throws Exception {
        HttpResponse<String> response = send("GET", system.feed, "/api/v1/feed/admin/erasures/" + id, token, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode awaitDone(String token, String id) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> record(token, id),
                r -> "done".equals(r.path("status").asText()));
    }

    private static void awaitSocialKnows(String tenant, String tile) {
        await().atMost(WAIT).until(() -> send("GET", system.social, "/api/v1/tiles/" + tile + "/comments",
                reader(tenant, "linus"), null).statusCode() == 200);
    }

    private static String reader(String tenant, String user) {
        return TestTokens.reader(tenant, user);
    }

    private static String postEvent(String tenant, String actor, String name, String priority, String type,
                                    String extra) throws Exception {
        String id = post(tenant, actor, name, priority, type, extra);
        await().atMost(WAIT).until(() -> send("GET", system.feed, "/api/v1/feed/tiles/" + id, reader(tenant, "grace"),
                null).statusCode() == 200);
        return id;
    }

    private static String post(String tenant, String actor, String name, String priority, String type, String extra)
            throws Exception {
        HttpResponse<String> posted = send("POST", system.ingest, "/api/v1/events", TestTokens.ingest(tenant), """
                {"type":"%s","priority":"%s",%s"actor":{"id":"%s","name":"%s"},
                 "entity":{"type":"badge","id":"b1","name":"Sprint Champion"}}""".formatted(type, priority, extra, actor, name));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        return JSON.readTree(posted.body()).path("events").get(0).path("id").asText();
    }

    private static JsonNode groupOf(String tenant, String type) throws Exception {
        HttpResponse<String> feed = send("GET", system.feed, "/api/v1/feed?limit=50", reader(tenant, "grace"), null);
        for (JsonNode item : JSON.readTree(feed.body()).path("items")) {
            if ("group".equals(item.path("kind").asText()) && type.equals(item.path("type").asText())) {
                return item;
            }
        }
        return null;
    }

    private static JsonNode tile(String tenant, String id, String user) throws Exception {
        HttpResponse<String> response = send("GET", system.feed, "/api/v1/feed/tiles/" + id, reader(tenant, user), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String method, ServiceProcess service, String path, String token,
                                             String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url(path)))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Connection db(String name) throws SQLException {
        return DriverManager.getConnection(system.infra.jdbcUrl(name), PostgresServer.USER, "");
    }

    private static long lastSeq(String tenant) throws SQLException {
        return count("feed", "SELECT coalesce(max(last_seq), 0) FROM tenant_seq WHERE tenant_id = ?", tenant);
    }

    private static long count(String database, String sql, String tenant) throws SQLException {
        try (Connection c = db(database); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
