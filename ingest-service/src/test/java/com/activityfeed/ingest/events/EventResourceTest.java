package com.activityfeed.ingest.events;

import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false)
class EventResourceTest {
    private static final String PROBLEM = "application/problem+json";

    @org.junit.jupiter.api.BeforeEach
    void ready() {
        // batches need the transactional producers, initialised at start-up (slow on a loaded machine)
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    private static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Response post(String token, String body) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/events");
    }

    private static String batch(int n, String tenant) {
        return IntStream.range(0, n).mapToObj(i -> "{\"type\":\"task_completed\",\"idempotencyKey\":\"k-" + i + "\"}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
    }

    @Test
    void singleEventIsPublishedWithSanitisedTextDefaultsAndHeaders() {
        String tenant = tenant();
        try (RawTopic raw = new RawTopic()) {
            String id = given().header("Authorization", "Bearer " + TestTokens.ingest(tenant))
                    .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .contentType(ContentType.JSON)
                    .body("""
                            {"type":"badge_earned","title":"  Sprint\\u0007 Champion \\n","correlationId":"corr-1",
                             "actor":{"id":"ada","name":"Ada"},"tags":["sprint:42"]}""")
                    .when().post("/api/v1/events")
                    .then().statusCode(202).body("events", hasSize(1))
                    .extract().path("events[0].id");
            assertThat(UUID.fromString(id).version()).isEqualTo(7);
            await().atMost(Duration.ofSeconds(20)).until(() -> raw.poll().stream().anyMatch(r -> r.value().contains(id)));
            ConsumerRecord<String, String> record = raw.poll().stream().filter(r -> r.value().contains(id)).findFirst().orElseThrow();
            assertThat(record.key()).isEqualTo(tenant);
            RawEvent event = MessageCodec.readRawEvent(record.value());
            assertThat(event.tenantId()).isEqualTo(tenant);
            assertThat(event.title()).isEqualTo("Sprint Champion");
            assertThat(event.source()).isEqualTo("api");
            assertThat(event.priority().wire()).isEqualTo("normal");
            assertThat(event.occurredAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
            // the caller's trace continues: same trace id, but the parent is now ingest's own send span
            String traceparent = new String(record.headers().lastHeader(Topics.HEADER_TRACEPARENT).value(),
                    StandardCharsets.US_ASCII);
            assertThat(traceparent).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
                    .isNotEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            assertThat(new String(record.headers().lastHeader(Topics.HEADER_CORRELATION_ID).value(), StandardCharsets.UTF_8))
                    .isEqualTo("corr-1");
        }
    }

    @Test
    void withoutACallersTraceTheRecordCarriesATraceIdThatIsNotRecorded() {
        // the default sampler (parentbased_always_off, docs/operations.md §6a) records nothing, but
        // the trace context is still made and propagated, so log lines of every service share its id
        String tenant = tenant();
        try (RawTopic raw = new RawTopic()) {
            String id = post(TestTokens.ingest(tenant), "{\"type\":\"badge_earned\"}")
                    .then().statusCode(202).extract().path("events[0].id");
            await().atMost(Duration.ofSeconds(20)).until(() -> raw.poll().stream().anyMatch(r -> r.value().contains(id)));
            ConsumerRecord<String, String> record = raw.poll().stream().filter(r -> r.value().contains(id)).findFirst().orElseThrow();
            String traceparent = new String(record.headers().lastHeader(Topics.HEADER_TRACEPARENT).value(),
                    StandardCharsets.US_ASCII);
            // trace flags with the sampled bit (0x01) clear; the SDK may set others (0x02: random trace id)
            assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f][02468ace]")
                    .doesNotStartWith("00-00000000000000000000000000000000");
        }
    }

    @Test
    void batchOf500IsAcceptedInOrderAnd501IsRejected() {
        String tenant = tenant();
        Response ok = post(TestTokens.ingest(tenant), batch(500, tenant));
        ok.then().statusCode(202).body("events", hasSize(500))
                .body("events[0].idempotencyKey", equalTo("k-0")).body("events[499].idempotencyKey", equalTo("k-499"));
        assertThat(ok.jsonPath().getString("events[3].id")).isEqualTo(
                com.activityfeed.ingest.ids.EventIds.fromKey(tenant, "k-3").toString());

        post(TestTokens.ingest(tenant), batch(501, tenant)).then().statusCode(400)
                .contentType(startsWith(PROBLEM)).body("errors[0].field", equalTo("events"));
    }

    @Test
    void sameKeysYieldSameIdsAndHeaderKeyActsLikeBodyKey() {
        String tenant = tenant();
        String first = post(TestTokens.ingest(tenant), "{\"type\":\"a\",\"idempotencyKey\":\"same\"}").then().statusCode(202)
                .extract().path("events[0].id");
        String again = post(TestTokens.ingest(tenant), "{\"type\":\"a\",\"idempotencyKey\":\"same\"}").then().statusCode(202)
                .extract().path("events[0].id");
        String header = given().header("Authorization", "Bearer " + TestTokens.ingest(tenant)).header("Idempotency-Key", "same")
                .contentType(ContentType.JSON).body("{\"type\":\"a\"}").post("/api/v1/events")
                .then().statusCode(202).body("events[0].idempotencyKey", equalTo("same")).extract().path("events[0].id");
        assertThat(first).isEqualTo(again).isEqualTo(header);
        assertThat(UUID.fromString(first).version()).isEqualTo(5);
        String otherTenant = post(TestTokens.ingest(tenant()), "{\"type\":\"a\",\"idempotencyKey\":\"same\"}").then()
                .statusCode(202).extract().path("events[0].id");
        assertThat(otherTenant).isNotEqualTo(first);
    }

    @Test
    void repeatedKeyInBatchAndHeaderOnBatchAre400() {
        String tenant = tenant();
        post(TestTokens.ingest(tenant), "{\"events\":[{\"type\":\"a\",\"idempotencyKey\":\"x\"},{\"type\":\"b\",\"idempotencyKey\":\"x\"}]}")
                .then().statusCode(400).contentType(startsWith(PROBLEM))
                .body("errors[0].index", equalTo(1)).body("errors[0].field", equalTo("idempotencyKey"));
        given().header("Authorization", "Bearer " + TestTokens.ingest(tenant)).header("Idempotency-Key", "h")
                .contentType(ContentType.JSON).body("{\"events\":[{\"type\":\"a\"}]}").post("/api/v1/events")
                .then().statusCode(400).contentType(startsWith(PROBLEM));
    }

    @Test
    void everyFaultOfABatchIsListedAndNothingIsPublished() {
        String tenant = tenant();
        try (RawTopic raw = new RawTopic()) {
            post(TestTokens.ingest(tenant), """
                    {"events":[{"type":"fine","idempotencyKey":"ok-1"},
                               {"type":"Bad Type","priority":"loud","colour":"red"},
                               {"type":"x","tags":["A"],"occurredAt":"yesterday","title":5}]}""")
                    .then().statusCode(400).contentType(startsWith(PROBLEM))
                    .body("errors.field", hasItem("colour"))
                    .body("errors.findAll { it.index == 1 }.field", equalTo(List.of("colour", "type", "priority")))
                    .body("errors.findAll { it.index == 2 }.field", equalTo(List.of("occurredAt", "title", "tags[0]")));
            post(TestTokens.ingest(tenant), "{\"type\":\"marker\",\"idempotencyKey\":\"after\"}").then().statusCode(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> raw.poll().stream().anyMatch(r -> r.value().contains("\"after\"")));
            assertThat(raw.poll()).noneMatch(r -> r.value().contains("ok-1"));
        }
    }

    @Test
    void badBodiesAre4xxProblems() {
        String token = TestTokens.ingest(tenant());
        post(token, "{\"type\":").then().statusCode(400).contentType(startsWith(PROBLEM));
        post(token, "").then().statusCode(400).contentType(startsWith(PROBLEM));
        post(token, "[1,2]").then().statusCode(400).contentType(startsWith(PROBLEM));
        post(token, "{\"type\":\"a\"} trailing").then().statusCode(400).contentType(startsWith(PROBLEM));
        post(token, "{\"type\":\"a\",\"type\":\"b\"}").then().statusCode(400).contentType(startsWith(PROBLEM));
        post(token, "{\"type\":123}").then().statusCode(400).body("errors[0].message", equalTo("must be a string"));
        post(token, "{\"type\":\"a\",\"title\":true}").then().statusCode(400).body("errors[0].field", equalTo("title"));
        post(token, "{\"events\":{}}").then().statusCode(400).contentType(startsWith(PROBLEM));
        post(token, "{\"events\":[]}").then().statusCode(400).contentType(startsWith(PROBLEM));
        byte[] invalidUtf8 = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(invalidUtf8)
                .post("/api/v1/events").then().statusCode(400).contentType(startsWith(PROBLEM));
        given().header("Authorization", "Bearer " + token).contentType(ContentType.TEXT).body("{\"type\":\"a\"}")
                .post("/api/v1/events").then().statusCode(415).contentType(startsWith(PROBLEM));
        given().header("Authorization", "Bearer " + token).get("/api/v1/events")
                .then().statusCode(405).contentType(startsWith(PROBLEM));
    }

    @Test
    void bodyOverOneMebibyteIs413Problem() {
        String token = TestTokens.ingest(tenant());
        // A valid-looking batch padded with spaces to exactly 1 MiB is read (and then validated), one byte more is not.
        String head = "{\"events\":[{\"type\":\"a\"}]";
        String exact = head + " ".repeat(1024 * 1024 - head.length() - 1) + "}";
        assertThat(exact.length()).isEqualTo(1024 * 1024);
        post(token, exact).then().statusCode(202);
        post(token, exact + " ").then().statusCode(413).contentType(startsWith(PROBLEM)).body("status", equalTo(413));
    }

    @Test
    void chunkedBodyOverOneMebibyteIs413Problem() throws Exception {
        // No Content-Length: the limit is found while the body streams in.
        java.net.http.HttpResponse<String> small = postChunked(("{\"type\":\"a\",\"title\":\"" + "x".repeat(200) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(small.statusCode()).as(small.body()).isEqualTo(202);
        java.net.http.HttpResponse<String> response = postChunked(("{\"type\":\"a\",\"title\":\"" + "x".repeat(1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(PROBLEM));
        assertThat(response.body()).contains("\"status\":413");
    }

    private static java.net.http.HttpResponse<String> postChunked(byte[] body) throws Exception {
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/api/v1/events"))
                        .header("Authorization", "Bearer " + TestTokens.ingest(tenant()))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void http2ClientsAreServedToo() throws Exception {
        // Java's client upgrades to h2c; bodies then take the framework's own read path.
        java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();
        String token = TestTokens.ingest(tenant());
        for (String body : List.of("{\"type\":\"a\"}", "")) {
            java.net.http.HttpResponse<String> response = h2.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/api/v1/events"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(body.isEmpty() ? 400 : 202);
        }
    }

    @Test
    void rolesAndTenants() {
        String tenant = tenant();
        post(TestTokens.reader(tenant, "ada"), "{\"type\":\"a\"}").then().statusCode(403).contentType(startsWith(PROBLEM));
        post(TestTokens.admin(tenant), "{\"type\":\"a\"}").then().statusCode(403).contentType(startsWith(PROBLEM));
        post(TestTokens.ingest(tenant), "{\"type\":\"a\",\"tenantId\":\"" + tenant + "\"}").then().statusCode(202);
        post(TestTokens.ingest(tenant), "{\"type\":\"a\",\"tenantId\":\"someone-else\"}").then().statusCode(403)
                .contentType(startsWith(PROBLEM));
        post(TestTokens.ingest(tenant), "{\"events\":[{\"type\":\"a\"},{\"type\":\"a\",\"tenantId\":\"someone-else\"}]}")
                .then().statusCode(403);
        post(TestTokens.platform("platform"), "{\"type\":\"a\",\"tenantId\":\"" + tenant + "\",\"idempotencyKey\":\"p\"}")
                .then().statusCode(202).body("events[0].id", equalTo(com.activityfeed.ingest.ids.EventIds.fromKey(tenant, "p").toString()));
        post(TestTokens.platform("platform"), "{\"type\":\"a\",\"tenantId\":\"Not Valid\"}").then().statusCode(400)
                .body("errors[0].field", equalTo("tenantId"));
        post(TestTokens.platform("platform"), "{\"type\":\"a\",\"idempotencyKey\":\"own\"}").then().statusCode(202)
                .body("events[0].id", equalTo(com.activityfeed.ingest.ids.EventIds.fromKey("platform", "own").toString()));
    }

    @Test
    void missingOrBadTokensAre401Problems() {
        String tenant = tenant();
        given().contentType(ContentType.JSON).body("{\"type\":\"a\"}").post("/api/v1/events")
                .then().statusCode(401).contentType(startsWith(PROBLEM));
        String expired = TestTokens.mint(TestTokens.SECRET, TestTokens.ISSUER, "p", tenant, "P", List.of("ingest"), Duration.ofMinutes(-10));
        String wrongIssuer = TestTokens.mint(TestTokens.SECRET, "someone-else", "p", tenant, "P", List.of("ingest"), Duration.ofHours(1));
        String wrongSignature = TestTokens.mint("another-secret-that-is-at-least-32-characters", TestTokens.ISSUER, "p", tenant, "P",
                List.of("ingest"), Duration.ofHours(1));
        String valid = TestTokens.ingest(tenant);
        String[] parts = valid.split("\\.");
        ObjectNode none = JsonNodeFactory.instance.objectNode().put("alg", "none").put("typ", "JWT");
        String algNone = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(none.toString().getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        for (String token : List.of(expired, wrongIssuer, wrongSignature, algNone, "not-a-jwt")) {
            post(token, "{\"type\":\"a\"}").then().statusCode(401).contentType(startsWith(PROBLEM));
        }
        given().header("Authorization", "Basic YTpi").contentType(ContentType.JSON).body("{\"type\":\"a\"}")
                .post("/api/v1/events").then().statusCode(401).contentType(startsWith(PROBLEM));
    }

    @Test
    void oneTenantOverItsRateGets429WhileAnotherPostsNormally() {
        // %test config: slow-tenant may post 2 events/s. A full bucket lets a batch of 20 through and
        // leaves 18 events of debt, so for the next ~10 s (robust on a loaded machine) it is refused.
        String noisy = "{\"events\":[" + IntStream.range(0, 20).mapToObj(i -> "{\"type\":\"a\"}").collect(Collectors.joining(",")) + "]}";
        post(TestTokens.ingest("slow-tenant"), noisy).then().statusCode(202);
        Response limited = post(TestTokens.ingest("slow-tenant"), "{\"type\":\"a\"}");
        limited.then().statusCode(429).contentType(startsWith(PROBLEM));
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 10);
        post(TestTokens.ingest(tenant()), noisy).then().statusCode(202);
        post(TestTokens.ingest(tenant()), noisy).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> post(TestTokens.ingest("slow-tenant"), "{\"type\":\"a\"}").statusCode() == 202);
    }

    @Test
    void metricsCountAcceptedAndRejected() {
        String token = TestTokens.ingest(tenant());
        post(token, "{\"type\":\"a\"}").then().statusCode(202);
        post(token, "{\"type\":\"A\"}").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/events").then().statusCode(401);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("ingest_events_accepted_total{source=\"api\"}")
                .contains("ingest_events_rejected_total{reason=\"invalid\"}")
                .contains("ingest_requests_rejected_total{reason=\"invalid\"}")
                .contains("ingest_requests_rejected_total{reason=\"unauthenticated\"}")
                .contains("ingest_publish_latency_seconds_count").contains("ingest_batch_size_events_count");
    }

    @Test
    void openApiDescribesTheEndpointsWithExamples() {
        String api = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        assertThat(api).contains("/api/v1/events").contains("Sprint Champion");
    }
}
