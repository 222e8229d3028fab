package com.activityfeed.feed.tiles;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.grouping.TileIds;
import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class FeedResourceTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private final EventIngestService ingest;
    private final AgroalDataSource dataSource;

    FeedResourceTest(EventIngestService ingest, AgroalDataSource dataSource) {
        this.ingest = ingest;
        this.dataSource = dataSource;
    }

    private static JsonPath get(String token, String path, Map<String, ?> query) {
        return given().auth().oauth2(token).queryParams(query).when().get(path).then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void theThirdEventFoldsTheFirstTwoAndAliasesAnswerTheGroup() {
        String tenant = TestEvents.tenant("fold");
        RawEvent a = TestEvents.event(tenant, "badge_earned", T0).actor("ada", "Ada").payload("badgeName", "Sprint Champion").build();
        RawEvent b = TestEvents.event(tenant, "badge_earned", T0.plusSeconds(5)).actor("bob", "Bob").build();
        ingest.store(List.of(a, b));
        String token = TestTokens.reader(tenant, "carol");
        JsonPath feed = get(token, "/api/v1/feed", Map.of());
        assertThat(feed.getList("items.id")).containsExactly(b.id().toString(), a.id().toString());
        assertThat(feed.getString("items[1].description")).isEqualTo("Ada earned Sprint Champion");
        assertThat(feed.getString("items[1].kind")).isEqualTo("single");

        RawEvent c = TestEvents.event(tenant, "badge_earned", T0.plusSeconds(10)).actor("ada", "Ada").build();
        ingest.store(List.of(c));
        feed = get(token, "/api/v1/feed", Map.of());
        UUID group = TileIds.group(tenant, a.id());
        assertThat(feed.getList("items.id")).containsExactly(group.toString());
        assertThat(feed.getString("items[0].kind")).isEqualTo("group");
        assertThat(feed.getInt("items[0].count")).isEqualTo(3);
        assertThat(feed.getList("items[0].actors.id")).containsExactly("ada", "bob");
        assertThat(feed.getList("items[0].samples.eventId")).containsExactly(c.id().toString(), b.id().toString(),
                a.id().toString());
        assertThat(feed.getString("items[0].occurredAt")).isEqualTo(T0.toString());
        assertThat(feed.getString("items[0].latestAt")).isEqualTo(T0.plusSeconds(10).toString());
        assertThat(feed.getString("items[0].description")).isEqualTo("3 badges earned");
        assertThat(feed.getBoolean("items[0].read")).isFalse();

        for (RawEvent alias : List.of(a, b, c)) {
            given().auth().oauth2(token).when().get("/api/v1/feed/tiles/" + alias.id()).then().statusCode(200)
                    .body("id", equalTo(group.toString())).body("count", equalTo(3));
        }
        ingest.store(List.of(TestEvents.event(tenant, "badge_earned", T0.plusSeconds(20)).build()));
        given().auth().oauth2(token).when().get("/api/v1/feed/tiles/" + group).then().statusCode(200)
                .body("count", equalTo(4)).body("description", equalTo("4 badges earned"));
    }

    /**
     * A page is joined as text from the stored tiles (TileQueries.Page): each item is exactly the
     * stored tile plus the reader's fields, valid JSON with no key twice, and the page's cursor is a
     * JSON string.
     */
    @Test
    void aPageItemIsTheStoredTileWithTheReadersFieldsAppended() throws Exception {
        String tenant = TestEvents.tenant("text");
        RawEvent a = TestEvents.event(tenant, "deploy.finished", T0.plusSeconds(1)).priority(Priority.URGENT).title("Ship \"v2\" \\ é ✓")
                .actor("ada", "Ada").build();
        RawEvent b = TestEvents.event(tenant, "deploy.finished", T0).priority(Priority.URGENT).build();
        ingest.store(List.of(a, b));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tile_reaction (tile_id, user_id, type, tenant_id) VALUES (?, 'u1', 'tribute', ?), (?, 'u1', 'hype', ?);
                INSERT INTO tile_social (tile_id, tenant_id, hype, respect, tribute, comment_count, last_seq)
                VALUES (?, ?, 4, 2, 1, 7, 0)""")) {
            Object[] values = {a.id(), tenant, a.id(), tenant, a.id(), tenant};
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.execute();
        }
        ObjectNode stored;
        long contentSeq;
        long lastSeq;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT body::text, content_seq, last_seq FROM tile WHERE id = ?")) {
            ps.setObject(1, a.id());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                stored = (ObjectNode) MessageCodec.mapper().readTree(rs.getString(1));
                contentSeq = rs.getLong(2);
                lastSeq = rs.getLong(3);
            }
        }
        String text = given().auth().oauth2(TestTokens.reader(tenant, "u1")).queryParam("limit", 1).when().get("/api/v1/feed")
                .then().statusCode(200).extract().asString();
        // compact, as written before from trees (clients that search the text find "count":1)
        assertThat(text).contains("\"count\":1,").doesNotContain("\": ").doesNotContain(", \"");
        ObjectMapper strict = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode page = strict.readTree(text);
        assertThat(page.path("nextCursor").isTextual()).isTrue();
        assertThat(page.path("items")).hasSize(1);
        ObjectNode expected = stored.deepCopy();
        expected.putObject("reactions").put("hype", 4).put("respect", 2).put("tribute", 1);
        expected.putArray("myReactions").add("hype").add("tribute");
        expected.put("commentCount", 7).put("read", false).put("seq", lastSeq).put("contentSeq", contentSeq);
        // compared as parsed text: the tree built here holds longs where parsing gives ints
        assertThat(page.path("items").get(0)).isEqualTo(strict.readTree(expected.toString()));
        assertThat(page.path("items").get(0).path("title").asText()).isEqualTo("Ship \"v2\" \\ é ✓");
        // the last page: no cursor
        JsonNode last = strict.readTree(given().auth().oauth2(TestTokens.reader(tenant, "u1")).queryParam("limit", 5)
                .when().get("/api/v1/feed").then().statusCode(200).extract().asString());
        assertThat(last.path("items")).hasSize(2);
        assertThat(last.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void reactionsAndCommentsOfFoldedTilesMoveToTheGroup() throws Exception {
        String tenant = TestEvents.tenant("merge");
        RawEvent a = TestEvents.event(tenant, "xp_rank_up", T0).build();
        RawEvent b = TestEvents.event(tenant, "xp_rank_up", T0.plusSeconds(1)).build();
        ingest.store(List.of(a, b));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tile_reaction (tile_id, user_id, type, tenant_id) VALUES (?, 'u1', 'hype', ?), (?, 'u1', 'hype', ?),
                    (?, 'u2', 'respect', ?);
                INSERT INTO tile_social (tile_id, tenant_id, hype, respect, comment_count, last_seq)
                VALUES (?, ?, 1, 0, 2, 0), (?, ?, 1, 1, 3, 0)""")) {
            Object[] values = {a.id(), tenant, b.id(), tenant, b.id(), tenant, a.id(), tenant, b.id(), tenant};
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.execute();
        }
        ingest.store(List.of(TestEvents.event(tenant, "xp_rank_up", T0.plusSeconds(2)).build()));
        JsonPath tile = get(TestTokens.reader(tenant, "u1"), "/api/v1/feed/tiles/" + a.id(), Map.of());
        assertThat(tile.getInt("reactions.hype")).isEqualTo(1); // u1's hype on both folded tiles counts once
        assertThat(tile.getInt("reactions.respect")).isEqualTo(1);
        assertThat(tile.getInt("commentCount")).isEqualTo(5);
        assertThat(tile.getList("myReactions")).containsExactly("hype");
    }

    @Test
    void pagesInBothOrdersSeeEveryTileOnceAndFiltersCombine() {
        String tenant = TestEvents.tenant("pages");
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            // urgent, so each stays single; occurredAt repeats to exercise the id tie-break
            events.add(TestEvents.event(tenant, i % 3 == 0 ? "deploy.finished" : "badge_earned", T0.plusSeconds(i / 2))
                    .priority(Priority.URGENT).source(i % 2 == 0 ? "github" : "api").tags(i % 5 == 0 ? "ops" : "team")
                    .actor("actor-" + (i % 4), null).entity("deal", "d" + (i % 7), null).build());
        }
        ingest.store(events);
        String token = TestTokens.reader(tenant, "u");
        for (String order : List.of("desc", "asc")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Map<String, Object> q = new java.util.HashMap<>(Map.of("limit", 10, "order", order));
                if (cursor != null) {
                    q.put("cursor", cursor);
                }
                JsonPath page = get(token, "/api/v1/feed", q);
                seen.addAll(page.getList("items.id"));
                cursor = page.getString("nextCursor");
                pages++;
            } while (cursor != null && pages < 20);
            assertThat(seen).hasSize(45).doesNotHaveDuplicates();
            if (order.equals("asc")) {
                assertThat(seen.getFirst()).isIn(events.get(0).id().toString(), events.get(1).id().toString());
            }
        }
        assertThat(get(token, "/api/v1/feed", Map.of("types", "deploy.finished", "limit", 100)).getList("items"))
                .hasSize(15);
        JsonPath combined = get(token, "/api/v1/feed", Map.of("types", "badge_earned", "source", "github",
                "tags", "ops", "limit", 100));
        long expected = events.stream().filter(e -> e.type().equals("badge_earned") && e.source().equals("github")
                && e.tags().contains("ops")).count();
        assertThat(combined.getList("items")).hasSize((int) expected);
        assertThat(get(token, "/api/v1/feed", Map.of("actorId", "actor-1", "limit", 100)).getList("items"))
                .hasSize((int) events.stream().filter(e -> e.actor().id().equals("actor-1")).count());
        assertThat(get(token, "/api/v1/feed", Map.of("entityType", "deal", "entityId", "d3", "limit", 100))
                .getList("items")).hasSize((int) events.stream().filter(e -> e.entity().id().equals("d3")).count());
        assertThat(get(token, "/api/v1/feed", Map.of("priority", "urgent", "limit", 100)).getList("items")).hasSize(45);
        assertThat(get(token, "/api/v1/feed", Map.of("priority", "low")).getList("items")).isEmpty();
        assertThat(get(token, "/api/v1/feed", Map.of("from", T0.plusSeconds(20).toString(), "to",
                T0.plusSeconds(22).toString(), "limit", 100)).getList("items")).hasSize(4);
        assertThat(get(token, "/api/v1/feed", Map.of()).getList("items")).hasSize(20);
        assertThat(get(token, "/api/v1/feed", Map.of("limit", 100)).getList("items")).hasSize(45);
    }

    @Test
    void groupsMatchActorEntityAndTagFiltersOnAnyMember() {
        String tenant = TestEvents.tenant("members");
        ingest.store(List.of(
                TestEvents.event(tenant, "tasks_burst", T0).actor("ada", null).entity("team", "red", null).tags("a").build(),
                TestEvents.event(tenant, "tasks_burst", T0.plusSeconds(1)).actor("bob", null).build(),
                TestEvents.event(tenant, "tasks_burst", T0.plusSeconds(2)).actor("cy", null).entity("team", "blue", null)
                        .tags("b").build()));
        String token = TestTokens.reader(tenant, "u");
        for (Map<String, String> q : List.of(Map.of("actorId", "cy"), Map.of("entityId", "blue"), Map.of("tags", "b"),
                Map.of("actorId", "bob", "entityType", "team"))) {
            assertThat(get(token, "/api/v1/feed", q).getList("items.kind")).as(q.toString()).containsExactly("group");
        }
        assertThat(get(token, "/api/v1/feed", Map.of("actorId", "dan")).getList("items")).isEmpty();
    }

    @Test
    void expiredTilesLeaveTheFeed() {
        String tenant = TestEvents.tenant("expiry");
        Instant now = Instant.now();
        RawEvent gone = TestEvents.event(tenant, "x", now.minusSeconds(60)).expiresAt(now.minusSeconds(1)).build();
        RawEvent kept = TestEvents.event(tenant, "y", now.minusSeconds(60)).expiresAt(now.plusSeconds(3600)).build();
        ingest.store(List.of(gone, kept));
        String token = TestTokens.reader(tenant, "u");
        assertThat(get(token, "/api/v1/feed", Map.of()).getList("items.id")).containsExactly(kept.id().toString());
        given().auth().oauth2(token).when().get("/api/v1/feed/tiles/" + gone.id()).then().statusCode(404);
    }

    @Test
    void badParametersAreProblems() {
        String token = TestTokens.reader("bad-params", "u");
        Map<String, String> bad = Map.of("limit", "0");
        for (Map<String, String> q : List.of(bad, Map.of("limit", "101"), Map.of("limit", "ten"),
                Map.of("cursor", "garbage!"), Map.of("cursor", "Zm9vfGJhcg"), Map.of("order", "sideways"),
                Map.of("priority", "meh"), Map.of("from", "yesterday"), Map.of("from", "2026-11-01T00:00Z"), Map.of("types", "Bad Type"),
                Map.of("tags", "NOT-A-TAG"), Map.of("unread", "maybe"),
                Map.of("from", "2026-11-02T00:00:00Z", "to", "2026-11-01T00:00:00Z"))) {
            given().auth().oauth2(token).queryParams(q).when().get("/api/v1/feed").then().statusCode(400)
                    .contentType("application/problem+json").body("status", equalTo(400));
        }
        // a declared parameter with no value is refused, not taken as absent (the whole feed)
        for (String name : List.of("actorId", "types", "limit", "cursor", "from", "entityId", "following")) {
            given().auth().oauth2(token).queryParam(name, "").when().get("/api/v1/feed").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", equalTo(name + " has an empty value; leave the parameter out for none"));
        }
        given().auth().oauth2(token).queryParam("actorId", "").when().get("/api/v1/feed/unread-count").then()
                .statusCode(400).body("detail", equalTo("actorId has an empty value; leave the parameter out for none"));
        // one the endpoint does not declare is left alone
        given().auth().oauth2(token).queryParam("_", "").when().get("/api/v1/feed").then().statusCode(200);
        given().auth().oauth2(token).queryParam("limit", 100).when().get("/api/v1/feed").then().statusCode(200);
        given().auth().oauth2(token).queryParam("limit", 1).when().get("/api/v1/feed").then().statusCode(200);
        // a cursor of the descending order used ascending
        String desc = Cursors.feed(new Cursors.FeedPosition(false, T0, UUID.randomUUID()));
        given().auth().oauth2(token).queryParam("cursor", desc).queryParam("order", "asc").when().get("/api/v1/feed")
                .then().statusCode(400);
        given().when().get("/api/v1/feed").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.ingest("bad-params")).when().get("/api/v1/feed").then().statusCode(403);
        given().auth().oauth2(token).when().get("/api/v1/feed/tiles/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void anotherTenantSeesNoneOfIt() {
        String tenant = TestEvents.tenant("mine");
        RawEvent e = TestEvents.event(tenant, "x", T0).build();
        ingest.store(List.of(e));
        String other = TestTokens.reader(TestEvents.tenant("other"), "u");
        assertThat(get(other, "/api/v1/feed", Map.of()).getList("items")).isEmpty();
        given().auth().oauth2(other).when().get("/api/v1/feed/tiles/" + e.id()).then().statusCode(404);
        given().auth().oauth2(TestTokens.reader(tenant, "u")).when().get("/api/v1/feed/tiles/" + e.id()).then()
                .statusCode(200);
    }

    @Test
    void typeCatalogListsTheSixBuiltInTypes() {
        given().auth().oauth2(TestTokens.reader("types", "u")).when().get("/api/v1/feed/types").then().statusCode(200)
                .body("items", hasSize(6)).body("items[0].type", equalTo("badge_earned"))
                .body("items[0].grouping.threshold", equalTo(3)).body("items[0].grouping.window", equalTo("PT5M"));
    }

    @Test
    void aRedeliveredBatchChangesNothing() {
        String tenant = TestEvents.tenant("redeliver");
        List<RawEvent> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batch.add(TestEvents.event(tenant, "x", T0.plusSeconds(i)).build());
        }
        assertThat(ingest.store(batch)).isEqualTo(4);
        JsonPath before = get(TestTokens.reader(tenant, "u"), "/api/v1/feed", Map.of());
        assertThat(ingest.store(batch)).isZero();
        assertThat(ingest.store(List.of(batch.get(1), batch.get(1)))).isZero();
        JsonPath after = get(TestTokens.reader(tenant, "u"), "/api/v1/feed", Map.of());
        assertThat(after.getList("items")).isEqualTo(before.getList("items"));
        assertThat(after.getInt("items[0].count")).isEqualTo(4);
        Set<Object> seqs = new HashSet<>(after.getList("items.seq"));
        assertThat(seqs).hasSize(1);
    }
}
