package com.activityfeed.system.feed;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bursts posted through ingest, over the real broker and database, come back as grouped tiles:
 * every filter pages through the whole feed with no tile missing or repeated, another tenant sees
 * none of it, and unread counts follow reads and growth. Expected results are computed from what
 * the test posted, never from what the feed stored, so ingest dropping a field (source, priority,
 * tags, entity) or the feed grouping what it must not (urgent events inside one window) fails it.
 */
class FeedEndToEndIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    private static String post(String tenant, ObjectNode event) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(system.ingest.url("/api/v1/events")))
                .header("Authorization", "Bearer " + TestTokens.ingest(tenant)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("events").get(0).path("id").asText();
    }

    private static ObjectNode event(String type, Instant at, String actor, String source, String priority) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", type);
        e.put("occurredAt", at.toString());
        e.putObject("actor").put("id", actor).put("name", actor.toUpperCase());
        e.put("source", source);
        e.put("priority", priority);
        return e;
    }

    private static JsonNode get(String token, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(system.feed.url(path)))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode post(String token, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(system.feed.url(path)))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Every tile id of the feed under {@code query}, paging with a small limit in the given order. */
    private static List<String> pageAll(String token, String query, String order) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            String path = "/api/v1/feed?limit=4&order=" + order + (query.isEmpty() ? "" : "&" + query)
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode body = get(token, path);
            body.path("items").forEach(t -> ids.add(t.path("id").asText()));
            cursor = body.path("nextCursor").isNull() ? null : body.path("nextCursor").asText();
            if (cursor == null) {
                return ids;
            }
        }
        throw new AssertionError("more than 100 pages");
    }

    @Test
    void burstsBecomeTilesThatEveryFilterPagesThroughExactlyOnce() throws Exception {
        String tenant = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        Instant base = Instant.now().minus(4, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String[] actors = {"ada", "bob", "cy"};
        int n = 0;
        // what was posted, by event id, in order; the expected tiles are built from it alone
        Map<String, ObjectNode> posted = new LinkedHashMap<>();
        // a burst of ten badges within a minute: one group
        List<String> badges = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ObjectNode e = event("badge_earned", base.plusSeconds(i * 5L), actors[n++ % 3], "api", "normal");
            String id = post(tenant, e);
            posted.put(id, e);
            badges.add(id);
        }
        // twenty deploys ten minutes apart: twenty singles
        for (int i = 0; i < 20; i++) {
            ObjectNode e = event("deploy.finished", base.plus(10L * i, ChronoUnit.MINUTES), actors[n++ % 3], "github", "normal");
            posted.put(post(tenant, e), e);
        }
        // five urgent rank-ups inside one window (twenty seconds apart): urgent events are never grouped,
        // so they stay five singles; dropping the priority on the way would fold them into a group
        for (int i = 0; i < 5; i++) {
            ObjectNode e = event("xp_rank_up", base.plus(3L, ChronoUnit.MINUTES).plusSeconds(20L * i), actors[n++ % 3],
                    "api", "urgent");
            posted.put(post(tenant, e), e);
        }
        // five status changes of two leads, tagged, ten minutes apart
        for (int i = 0; i < 5; i++) {
            ObjectNode e = event("lead.status_changed", base.plus(7L + 10L * i, ChronoUnit.MINUTES), actors[n++ % 3],
                    "salesforce", "normal");
            e.putObject("entity").put("type", "lead").put("id", i % 2 == 0 ? "L1" : "L2").put("name", "Lead");
            e.putArray("tags").add("crm");
            posted.put(post(tenant, e), e);
        }
        String otherTenant = "e2e-other-" + UUID.randomUUID().toString().substring(0, 8);
        post(otherTenant, event("badge_earned", base, "zed", "api", "normal"));

        String reader = TestTokens.reader(tenant, "rita");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get(reader, "/api/v1/feed/events?limit=500").path("items").size()).isEqualTo(40));
        // the group's id is name-based on its first member; any member's id answers the group
        String group = get(reader, "/api/v1/feed/tiles/" + badges.getFirst()).path("id").asText();
        Map<String, List<JsonNode>> membersByTile = new LinkedHashMap<>();
        posted.forEach((id, e) -> membersByTile.computeIfAbsent(badges.contains(id) ? group : id,
                k -> new ArrayList<>()).add(e));
        assertThat(membersByTile).hasSize(1 + 20 + 5 + 5);
        // the feed grouped exactly so, and stored every field that was posted
        Map<String, List<String>> stored = new LinkedHashMap<>();
        get(reader, "/api/v1/feed/events?limit=500").path("items").forEach(e -> {
            stored.computeIfAbsent(e.path("tileId").asText(), k -> new ArrayList<>()).add(e.path("id").asText());
            ObjectNode sent = posted.get(e.path("id").asText());
            assertThat(sent).as("an event the test posted").isNotNull();
            assertThat(e.path("source").asText()).isEqualTo(sent.path("source").asText());
            assertThat(e.path("priority").asText()).isEqualTo(sent.path("priority").asText());
            assertThat(e.path("tags")).isEqualTo(sent.has("tags") ? sent.path("tags") : JSON.createArrayNode());
            assertThat(e.path("entity").path("id").asText()).isEqualTo(sent.path("entity").path("id").asText());
        });
        assertThat(stored.keySet()).isEqualTo(membersByTile.keySet());
        assertThat(stored.get(group)).containsExactlyInAnyOrderElementsOf(badges);
        JsonNode groupTile = get(reader, "/api/v1/feed/tiles/" + group);
        assertThat(groupTile.path("kind").asText()).isEqualTo("group");
        assertThat(groupTile.path("count").asInt()).isEqualTo(10);

        Map<String, Predicate<JsonNode>> filters = new LinkedHashMap<>();
        filters.put("", e -> true);
        filters.put("types=deploy.finished", e -> e.path("type").asText().equals("deploy.finished"));
        filters.put("types=badge_earned,xp_rank_up", e -> e.path("type").asText().matches("badge_earned|xp_rank_up"));
        filters.put("source=github", e -> e.path("source").asText().equals("github"));
        filters.put("priority=urgent", e -> e.path("priority").asText().equals("urgent"));
        filters.put("tags=crm", e -> e.path("tags").toString().contains("\"crm\""));
        filters.put("actorId=ada", e -> e.path("actor").path("id").asText().equals("ada"));
        filters.put("entityType=lead&entityId=L1", e -> e.path("entity").path("id").asText().equals("L1"));
        filters.put("from=" + base.plus(60, ChronoUnit.MINUTES) + "&to=" + base.plus(120, ChronoUnit.MINUTES),
                e -> {
                    Instant at = Instant.parse(e.path("occurredAt").asText());
                    return !at.isBefore(base.plus(60, ChronoUnit.MINUTES)) && at.isBefore(base.plus(120, ChronoUnit.MINUTES));
                });
        filters.put("source=salesforce&tags=crm&actorId=bob", e -> e.path("source").asText().equals("salesforce")
                && e.path("tags").toString().contains("\"crm\"") && e.path("actor").path("id").asText().equals("bob"));
        filters.put("unread=true", e -> true);
        for (Map.Entry<String, Predicate<JsonNode>> f : filters.entrySet()) {
            Set<String> expected = new HashSet<>();
            membersByTile.forEach((tile, members) -> {
                // a group matches when any member matches; the from/to range is on the tile's (first member's) time
                JsonNode first = members.stream().min(java.util.Comparator.comparing(e -> Instant.parse(
                        e.path("occurredAt").asText()))).orElseThrow();
                boolean matches = f.getKey().startsWith("from=") ? f.getValue().test(first)
                        : members.stream().anyMatch(f.getValue());
                if (matches) {
                    expected.add(tile);
                }
            });
            for (String order : List.of("desc", "asc")) {
                List<String> paged = pageAll(reader, f.getKey().replace("+", "%2B").replace(":", "%3A"), order);
                assertThat(paged).as(f.getKey() + " " + order).doesNotHaveDuplicates();
                assertThat(new HashSet<>(paged)).as(f.getKey() + " " + order).isEqualTo(expected);
            }
        }

        // another tenant sees none of it
        String stranger = TestTokens.reader(otherTenant, "zed");
        // its one event may sit on another partition than ours: wait for it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get(stranger, "/api/v1/feed").path("items").size()).isEqualTo(1));
        List<String> theirs = pageAll(stranger, "", "desc");
        assertThat(theirs).hasSize(1).doesNotContainAnyElementsOf(membersByTile.keySet());
        String someTile = membersByTile.keySet().iterator().next();
        HttpResponse<String> hidden = HTTP.send(HttpRequest.newBuilder(URI.create(system.feed.url("/api/v1/feed/tiles/"
                + someTile))).header("Authorization", "Bearer " + stranger).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hidden.statusCode()).isEqualTo(404);

        // unread counts follow reads and growth
        assertThat(get(reader, "/api/v1/feed/unread-count").path("unread").asInt()).isEqualTo(31);
        List<String> three = new ArrayList<>(membersByTile.keySet()).subList(0, 3);
        assertThat(post(reader, "/api/v1/feed/read", JSON.writeValueAsString(Map.of("tileIds", three)))
                .path("unread").asInt()).isEqualTo(28);
        assertThat(get(reader, "/api/v1/feed/unread-count?types=deploy.finished").path("unread").asInt())
                .isLessThanOrEqualTo(20);
        assertThat(post(reader, "/api/v1/feed/read-all", "").path("unread").asInt()).isZero();
        post(tenant, event("badge_earned", base.plusSeconds(55), "cy", "api", "normal")); // grows the group
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get(reader, "/api/v1/feed/unread-count").path("unread").asInt()).isEqualTo(1));
        JsonNode grown = get(reader, "/api/v1/feed/unread-count?types=badge_earned");
        assertThat(grown.path("unread").asInt()).isEqualTo(1);
        assertThat(grown.path("capped").asBoolean()).isFalse();
        post(tenant, event("deploy.finished", base.plus(300, ChronoUnit.MINUTES).minus(1, ChronoUnit.HOURS), "ada",
                "github", "normal"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get(reader, "/api/v1/feed/unread-count").path("unread").asInt()).isEqualTo(2));
        // other users' read state is their own
        assertThat(get(TestTokens.reader(tenant, "sam"), "/api/v1/feed/unread-count").path("unread").asInt()).isEqualTo(32);
    }
}
