package com.activityfeed.system;

import com.activityfeed.testsupport.infra.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An event posted to ingest comes back from feed, over the real broker and database, for its tenant only. */
class WalkingSkeletonIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    @Test
    void postedEventAppearsInItsTenantsFeedAndNoOtherTenants() throws Exception {
        String tenant = "skeleton-" + UUID.randomUUID().toString().substring(0, 8);
        String marker = UUID.randomUUID().toString();
        String body = """
                {"type":"badge_earned","actor":{"id":"ada","name":"Ada"},
                 "entity":{"type":"badge","id":"b1","name":"Sprint Champion"},
                 "payload":{"marker":"%s"}}""".formatted(marker);

        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(system.ingest.url("/api/v1/events")))
                .header("Authorization", "Bearer " + TestTokens.ingest(tenant))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String id = JSON.readTree(posted.body()).path("events").get(0).path("id").asText();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode feed = getFeed(TestTokens.reader(tenant, "grace"));
            assertThat(feed.path("items").findValuesAsText("id")).contains(id);
        });
        JsonNode tile = getFeed(TestTokens.reader(tenant, "grace")).path("items").get(0);
        assertThat(tile.path("type").asText()).isEqualTo("badge_earned");
        assertThat(tile.toString()).contains(marker);

        JsonNode other = getFeed(TestTokens.reader("other-" + tenant, "grace"));
        assertThat(other.path("items").findValuesAsText("id")).doesNotContain(id);
    }

    @Test
    void everyServiceIsReadyAndRefusesRequestsWithoutToken() throws Exception {
        for (var service : new com.activityfeed.testsupport.infra.ServiceProcess[]{system.ingest, system.feed, system.social}) {
            assertThat(service.ready()).isTrue();
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(service.url("/q/metrics"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            HttpResponse<String> openapi = HTTP.send(HttpRequest.newBuilder(URI.create(service.url("/q/openapi"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(openapi.statusCode()).isEqualTo(200);
        }
        HttpResponse<String> feed = HTTP.send(HttpRequest.newBuilder(URI.create(system.feed.url("/api/v1/feed"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(feed.statusCode()).isEqualTo(401);
        assertThat(feed.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    private static JsonNode getFeed(String token) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.feed.url("/api/v1/feed")))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
