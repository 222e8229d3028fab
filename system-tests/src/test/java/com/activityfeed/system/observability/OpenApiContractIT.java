package com.activityfeed.system.observability;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §7: the published API description says what the services really send. Each service's
 * {@code /q/openapi} is fetched from the running service; then real requests (a feed page with a
 * group and a single tile, a tile, the event log, unread counts, follows, reactions, comments,
 * chat, ingest's 202 and its problems, a webhook dry run) are made and every answer is validated
 * against the schema of its operation and status with a JSON-schema validator
 * ({@link OpenApiContract}: required fields must be there, and undeclared ones must not).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "application/problem+json";
    private static final String TENANT = "contract-" + UUID.randomUUID().toString().substring(0, 8);

    private static SystemUnderTest system;
    private static OpenApiContract ingest;
    private static OpenApiContract feed;
    private static OpenApiContract social;
    private static String groupId;
    private static String singleId;
    private static JsonNode singleTile;

    @BeforeAll
    static void start() throws Exception {
        system = SystemUnderTest.get();
        ingest = new OpenApiContract("ingest", description(system.ingest));
        feed = new OpenApiContract("feed", description(system.feed));
        social = new OpenApiContract("social", description(system.social));
    }

    @Test
    @Order(1)
    void everyJsonAnswerAndRequestBodyHasATypedSchema() {
        assertThat(ingest.untypedBodies()).as("ingest").isEmpty();
        assertThat(feed.untypedBodies()).as("feed").isEmpty();
        assertThat(social.untypedBodies()).as("social").isEmpty();
    }

    /**
     * What a client generator reads to authenticate: every operation of the three services that
     * needs a token names the bearer scheme, and only the feed's stream also offers the ticket and
     * the stream cookie (a description that put the ticket on every operation made generated
     * clients send {@code ?ticket=} where a bearer token was needed).
     */
    @Test
    @Order(1)
    void everySecuredOperationAsksForABearerTokenAndOnlyTheStreamAlsoForATicket() {
        for (OpenApiContract contract : List.of(ingest, feed, social)) {
            contract.document().path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
                JsonNode security = op.getValue().path("security");
                if (security.isMissingNode()) {
                    return;
                }
                List<String> schemes = new ArrayList<>();
                security.forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add));
                String label = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                assertThat(schemes).as(label).contains("bearer");
                if (path.getKey().equals("/api/v1/feed/stream")) {
                    assertThat(schemes).as(label).contains("streamTicket", "streamCookie");
                } else {
                    assertThat(schemes).as(label).doesNotContain("streamTicket", "streamCookie");
                }
            }));
        }
    }

    @Test
    @Order(2)
    void ingestAnswersMatchTheirSchemas() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // three of one type in one window fold into a group; the fourth, high priority, stays single
        String batch = """
                {"events":[
                 {"type":"task_done","actor":{"id":"ada","name":"Ada"},"entity":{"type":"task","id":"t1","name":"Write docs"}},
                 {"type":"task_done","actor":{"id":"grace"},"entity":{"type":"task","id":"t2"}},
                 {"type":"task_done","actor":{"id":"linus","name":"Linus"}},
                 {"type":"badge_earned","priority":"high","actor":{"id":"ada","name":"Ada"},
                  "entity":{"type":"badge","id":"b1","name":"Sprint Champion"},"title":"Ada earned Sprint Champion",
                  "tags":["sprint:42"],"correlationId":"c-1","expiresAt":"%s","idempotencyKey":"contract-1",
                  "change":{"field":"level","from":1,"to":2},"payload":{"points":50,"nested":{"a":[1,2]}}}]}"""
                .formatted(now.plus(10, ChronoUnit.DAYS));
        HttpResponse<String> accepted = send("POST", system.ingest, "/api/v1/events", TestTokens.ingest(TENANT), batch);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        check(ingest, "POST", "/api/v1/events", accepted, "application/json");
        singleId = JSON.readTree(accepted.body()).path("events").get(3).path("id").asText();

        HttpResponse<String> single = send("POST", system.ingest, "/api/v1/events", TestTokens.ingest(TENANT),
                "{\"type\":\"xp_rank_up\",\"actor\":{\"id\":\"grace\",\"name\":\"Grace\"}}");
        assertThat(single.statusCode()).as(single.body()).isEqualTo(202);
        check(ingest, "POST", "/api/v1/events", single, "application/json");

        HttpResponse<String> invalid = send("POST", system.ingest, "/api/v1/events", TestTokens.ingest(TENANT),
                "{\"events\":[{\"type\":\"ok\"},{\"type\":\"Not A Type\",\"tags\":[\"BAD TAG\"]}]}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).path("errors")).isNotEmpty();
        check(ingest, "POST", "/api/v1/events", invalid, PROBLEM);

        HttpResponse<String> anonymous = send("POST", system.ingest, "/api/v1/events", null, "{\"type\":\"ok\"}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        check(ingest, "POST", "/api/v1/events", anonymous, PROBLEM);

        HttpResponse<String> reader = send("POST", system.ingest, "/api/v1/events", TestTokens.reader(TENANT, "ada"),
                "{\"type\":\"ok\"}");
        assertThat(reader.statusCode()).isEqualTo(403);
        check(ingest, "POST", "/api/v1/events", reader, PROBLEM);

        String hook = "{\"kind\":\"deploy.finished\",\"at\":\"" + now + "\",\"id\":\"contract-deploy-1\",\"service\":\"api\"}";
        HttpResponse<String> dryRun = send("POST", system.ingest,
                "/api/v1/webhooks/generic/" + SystemUnderTest.WEBHOOK_TENANT + "?dryRun=true", null, hook,
                Map.of("X-Signature-256", signature(SystemUnderTest.GENERIC_SECRET, hook)));
        assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
        check(ingest, "POST", "/api/v1/webhooks/{source}/{tenant}", dryRun, "application/json");

        HttpResponse<String> badSignature = send("POST", system.ingest,
                "/api/v1/webhooks/generic/" + SystemUnderTest.WEBHOOK_TENANT, null, hook, Map.of("X-Signature-256", "sha256=00"));
        assertThat(badSignature.statusCode()).isEqualTo(401);
        check(ingest, "POST", "/api/v1/webhooks/{source}/{tenant}", badSignature, PROBLEM);
    }

    @Test
    @Order(3)
    void feedAnswersMatchTheirSchemas() throws Exception {
        String reader = TestTokens.reader(TENANT, "linus");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<String> page = send("GET", system.feed, "/api/v1/feed", reader, null);
            JsonNode items = JSON.readTree(page.body()).path("items");
            return page.statusCode() == 200 && items.size() == 3
                    && items.findValuesAsText("kind").contains("group");
        });
        HttpResponse<String> page = send("GET", system.feed, "/api/v1/feed", reader, null);
        check(feed, "GET", "/api/v1/feed", page, "application/json");
        for (JsonNode tile : JSON.readTree(page.body()).path("items")) {
            if (tile.path("kind").asText().equals("group")) {
                groupId = tile.path("id").asText();
                assertThat(tile.path("count").asInt()).isEqualTo(3);
            }
        }
        HttpResponse<String> last = send("GET", system.feed, "/api/v1/feed?limit=2&sort=activity&order=asc", reader, null);
        check(feed, "GET", "/api/v1/feed", last, "application/json");

        HttpResponse<String> group = send("GET", system.feed, "/api/v1/feed/tiles/" + groupId, reader, null);
        check(feed, "GET", "/api/v1/feed/tiles/{id}", group, "application/json");
        HttpResponse<String> single = send("GET", system.feed, "/api/v1/feed/tiles/" + singleId, reader, null);
        check(feed, "GET", "/api/v1/feed/tiles/{id}", single, "application/json");
        singleTile = JSON.readTree(single.body());
        assertThat(singleTile.path("payload").path("points").asInt()).isEqualTo(50);
        assertThat(singleTile.path("change").path("to").asInt()).isEqualTo(2);
        HttpResponse<String> missing = send("GET", system.feed, "/api/v1/feed/tiles/" + UUID.randomUUID(), reader, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        check(feed, "GET", "/api/v1/feed/tiles/{id}", missing, PROBLEM);
        HttpResponse<String> anonymous = send("GET", system.feed, "/api/v1/feed", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        check(feed, "GET", "/api/v1/feed", anonymous, PROBLEM);
        HttpResponse<String> badLimit = send("GET", system.feed, "/api/v1/feed?limit=101", reader, null);
        assertThat(badLimit.statusCode()).isEqualTo(400);
        check(feed, "GET", "/api/v1/feed", badLimit, PROBLEM);

        HttpResponse<String> log = send("GET", system.feed, "/api/v1/feed/events", reader, null);
        check(feed, "GET", "/api/v1/feed/events", log, "application/json");
        assertThat(JSON.readTree(log.body()).path("items")).hasSize(5);
        HttpResponse<String> event = send("GET", system.feed, "/api/v1/feed/events/" + singleId, reader, null);
        check(feed, "GET", "/api/v1/feed/events/{id}", event, "application/json");
        String folded = JSON.readTree(log.body()).path("items").get(0).path("id").asText();
        check(feed, "GET", "/api/v1/feed/events/{id}", send("GET", system.feed, "/api/v1/feed/events/" + folded, reader, null),
                "application/json");
        check(feed, "GET", "/api/v1/feed/entities/{type}/{id}/events",
                send("GET", system.feed, "/api/v1/feed/entities/badge/b1/events", reader, null), "application/json");

        check(feed, "GET", "/api/v1/feed/unread-count", send("GET", system.feed, "/api/v1/feed/unread-count", reader, null),
                "application/json");
        check(feed, "POST", "/api/v1/feed/read", send("POST", system.feed, "/api/v1/feed/read", reader,
                "{\"tileIds\":[\"" + groupId + "\"]}"), "application/json");
        check(feed, "POST", "/api/v1/feed/read-all", send("POST", system.feed, "/api/v1/feed/read-all", reader, null),
                "application/json");

        HttpResponse<String> followed = send("PUT", system.feed, "/api/v1/feed/follows/entities/task/t1", reader, null);
        check(feed, "PUT", "/api/v1/feed/follows/entities/{entityType}/{entityId}", followed, "application/json");
        check(feed, "PUT", "/api/v1/feed/follows/actors/{actorId}",
                send("PUT", system.feed, "/api/v1/feed/follows/actors/ada", reader, null), "application/json");
        check(feed, "GET", "/api/v1/feed/follows", send("GET", system.feed, "/api/v1/feed/follows", reader, null),
                "application/json");
        HttpResponse<String> unfollowed = send("DELETE", system.feed, "/api/v1/feed/follows/actors/ada", reader, null);
        assertThat(unfollowed.statusCode()).isEqualTo(204);
        assertThat(feed.document().at("/paths/~1api~1v1~1feed~1follows~1actors~1{actorId}/delete/responses/204")
                .isMissingNode()).isFalse();

        check(feed, "GET", "/api/v1/feed/types", send("GET", system.feed, "/api/v1/feed/types", reader, null), "application/json");
        check(feed, "GET", "/api/v1/feed/stats", send("GET", system.feed, "/api/v1/feed/stats", reader, null), "application/json");
        check(feed, "POST", "/api/v1/feed/stream-tickets", send("POST", system.feed, "/api/v1/feed/stream-tickets", reader, null),
                "application/json");
    }

    @Test
    @Order(4)
    void socialAnswersMatchTheirSchemas() throws Exception {
        String grace = TestTokens.reader(TENANT, "grace");
        String tile = "/api/v1/tiles/" + singleId;
        // social learns the tile from feed.changes (a social relaunched by an earlier test may still be
        // waiting for its consumer group, up to the killed member's 45 s session)
        await().atMost(Duration.ofSeconds(90)).until(() ->
                send("PUT", system.social, tile + "/reactions/hype", grace, null).statusCode() == 200);
        HttpResponse<String> reacted = send("PUT", system.social, tile + "/reactions/respect", grace, null);
        check(social, "PUT", "/api/v1/tiles/{tileId}/reactions/{type}", reacted, "application/json");
        check(social, "DELETE", "/api/v1/tiles/{tileId}/reactions/{type}",
                send("DELETE", system.social, tile + "/reactions/respect", grace, null), "application/json");
        HttpResponse<String> own = send("PUT", system.social, tile + "/reactions/hype", TestTokens.reader(TENANT, "ada"), null);
        assertThat(own.statusCode()).isEqualTo(403);
        check(social, "PUT", "/api/v1/tiles/{tileId}/reactions/{type}", own, PROBLEM);
        HttpResponse<String> unknownType = send("PUT", system.social, tile + "/reactions/love", grace, null);
        assertThat(unknownType.statusCode()).isEqualTo(400);
        check(social, "PUT", "/api/v1/tiles/{tileId}/reactions/{type}", unknownType, PROBLEM);

        HttpResponse<String> comment = send("POST", system.social, tile + "/comments", grace, "{\"body\":\"Well deserved!\"}");
        assertThat(comment.statusCode()).as(comment.body()).isEqualTo(201);
        check(social, "POST", "/api/v1/tiles/{tileId}/comments", comment, "application/json");
        check(social, "GET", "/api/v1/tiles/{tileId}/comments", send("GET", system.social, tile + "/comments", grace, null),
                "application/json");
        HttpResponse<String> empty = send("POST", system.social, tile + "/comments", grace, "{\"body\":\"   \"}");
        assertThat(empty.statusCode()).isEqualTo(400);
        check(social, "POST", "/api/v1/tiles/{tileId}/comments", empty, PROBLEM);

        HttpResponse<String> thread = send("POST", system.social, "/api/v1/chat/threads", grace,
                "{\"title\":\"About the badge\",\"tileId\":\"" + singleId + "\"}");
        assertThat(thread.statusCode()).as(thread.body()).isEqualTo(201);
        check(social, "POST", "/api/v1/chat/threads", thread, "application/json");
        String threadId = JSON.readTree(thread.body()).path("id").asText();
        check(social, "PATCH", "/api/v1/chat/threads/{id}",
                send("PATCH", system.social, "/api/v1/chat/threads/" + threadId, grace, "{\"title\":\"Badges\"}"), "application/json");
        HttpResponse<String> message = send("POST", system.social, "/api/v1/chat/threads/" + threadId + "/messages", grace,
                "{\"body\":\"Congratulations\"}");
        assertThat(message.statusCode()).as(message.body()).isEqualTo(201);
        check(social, "POST", "/api/v1/chat/threads/{id}/messages", message, "application/json");
        check(social, "GET", "/api/v1/chat/threads/{id}/messages",
                send("GET", system.social, "/api/v1/chat/threads/" + threadId + "/messages", grace, null), "application/json");
        HttpResponse<String> main = send("POST", system.social, "/api/v1/chat/messages", grace, "{\"body\":\"Hello, Main\"}");
        assertThat(main.statusCode()).as(main.body()).isEqualTo(201);
        check(social, "POST", "/api/v1/chat/messages", main, "application/json");
        check(social, "GET", "/api/v1/chat/threads", send("GET", system.social, "/api/v1/chat/threads", grace, null),
                "application/json");
        assertThat(send("DELETE", system.social, "/api/v1/chat/threads/" + threadId, grace, null).statusCode()).isEqualTo(204);
        HttpResponse<String> unthreaded = send("GET", system.social, "/api/v1/chat/messages?unthreaded=true", grace, null);
        assertThat(JSON.readTree(unthreaded.body()).path("items").get(0).path("threadId").isNull()).isTrue();
        check(social, "GET", "/api/v1/chat/messages", unthreaded, "application/json");
        HttpResponse<String> anonymous = send("GET", system.social, "/api/v1/chat/threads", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        check(social, "GET", "/api/v1/chat/threads", anonymous, PROBLEM);
    }

    /** The check bites: a tile schema with one field renamed, missing, or one undeclared field sent, fails on a real tile. */
    @Test
    @Order(5)
    void aDescriptionThatDriftsFromTheAnswersFails() throws Exception {
        assertThat(singleTile).as("the feed test ran first").isNotNull();
        String tile = singleTile.toString();
        assertThat(feed.violations("GET", "/api/v1/feed/tiles/{id}", 200, "application/json", tile)).isEmpty();

        OpenApiContract renamed = feed.edited(doc -> {
            ObjectNode schema = (ObjectNode) doc.at("/components/schemas/Tile");
            ObjectNode properties = (ObjectNode) schema.get("properties");
            properties.set("headline", properties.remove("title"));
            List<String> required = new ArrayList<>();
            schema.get("required").forEach(r -> required.add(r.asText().equals("title") ? "headline" : r.asText()));
            schema.putArray("required").addAll(required.stream().map(JSON.getNodeFactory()::textNode).toList());
        });
        assertThat(renamed.violations("GET", "/api/v1/feed/tiles/{id}", 200, "application/json", tile))
                .anyMatch(v -> v.contains("headline")).anyMatch(v -> v.contains("title"));

        ObjectNode withoutCount = (ObjectNode) singleTile.deepCopy();
        withoutCount.remove("commentCount");
        withoutCount.put("surprise", true);
        assertThat(feed.violations("GET", "/api/v1/feed/tiles/{id}", 200, "application/json", withoutCount.toString()))
                .anyMatch(v -> v.contains("commentCount")).anyMatch(v -> v.contains("surprise"));
    }

    private static void check(OpenApiContract contract, String method, String path, HttpResponse<String> response,
                              String mediaType) throws Exception {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).as(method + " " + path).startsWith(mediaType);
        assertThat(contract.violations(method, path, response.statusCode(), mediaType, response.body()))
                .as("%s %s %d answered %s", method, path, response.statusCode(), response.body()).isEmpty();
    }

    private static JsonNode description(ServiceProcess service) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.url("/q/openapi?format=json")))
                .header("Accept", "application/json").timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String method, ServiceProcess service, String path, String token, String body)
            throws Exception {
        return send(method, service, path, token, body, Map.of());
    }

    private static HttpResponse<String> send(String method, ServiceProcess service, String path, String token, String body,
                                             Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url(path))).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String signature(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
