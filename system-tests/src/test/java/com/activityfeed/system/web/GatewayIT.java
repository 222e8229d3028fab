package com.activityfeed.system.web;

import com.activityfeed.testsupport.gateway.Gateway;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway routes by the route table to the right service, and serves the web client under /app/. */
class GatewayIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = WebStack.gateway();
    }

    @Test
    void appRedirectsToItsIndexWhichCarriesItsFirstScreen() throws Exception {
        HttpResponse<String> bare = get("/app", null);
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).hasValue("/app/");

        HttpResponse<String> index = get("/app/", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        // the page carries the first screen's modules, joined, and its stylesheet inline (web.ClientBundle)
        assertThat(index.body()).contains("<script type=\"module\">").contains("class FeedView").contains("<style>")
                .doesNotContain(" src=\"js/").doesNotContain("href=\"app.css\"");

        // the modules stay reachable on their own (chat and stats are loaded when opened, the source is plain modules)
        HttpResponse<String> module = get("/app/js/main.js", null);
        assertThat(module.statusCode()).isEqualTo(200);
        assertThat(module.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    }

    @Test
    void eachPrefixReachesItsServiceAndUnknownPathsAreProblems() throws Exception {
        String tenant = "gw-" + Long.toHexString(System.nanoTime());
        // A reader token is refused by ingest's role check (403) but accepted by feed and social (200).
        String reader = TestTokens.reader(tenant, "ada");
        assertThat(post("/api/v1/events", reader, "{\"type\":\"badge_earned\"}").statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/feed", reader).statusCode()).isEqualTo(200);
        for (String path : new String[]{"/api/v1/events", "/api/v1/feed", "/api/v1/chat/threads"}) {
            HttpResponse<String> anonymous = path.equals("/api/v1/events") ? post(path, null, "{}") : get(path, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type")).as(path)
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }
        for (String path : new String[]{"/nowhere", "/apple", "/api/v1/feeds", "/q/health"}) {
            HttpResponse<String> none = get(path, null);
            assertThat(none.statusCode()).as(path).isEqualTo(404);
            assertThat(none.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
            assertThat(none.body()).contains("\"status\":404");
        }
    }

    @Test
    void theStreamPassesThroughUnbufferedAndUncached() throws Exception {
        String tenant = "gw-sse-" + Long.toHexString(System.nanoTime());
        String reader = TestTokens.reader(tenant, "ada");
        HttpResponse<String> ticket = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url("/api/v1/feed/stream-tickets")))
                .header("Authorization", "Bearer " + reader).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ticket.statusCode()).as(ticket.body()).isIn(200, 201);
        String value = JSON.readTree(ticket.body()).path("ticket").asText();
        try (SseClient stream = SseClient.to(gateway.url("/api/v1/feed/stream?ticket=" + value)).connect()) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            assertThat(stream.header("Cache-Control")).hasValueSatisfying(t -> assertThat(t).contains("no-cache"));
            stream.awaitEvent("feed.connected", Duration.ofSeconds(10));
            // a change made after connecting arrives while the connection stays open
            HttpResponse<String> posted = post("/api/v1/events", TestTokens.ingest(tenant),
                    "{\"type\":\"badge_earned\",\"title\":\"through the gateway\"}");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            SseClient.Event created = stream.awaitEvent("activity.event.created", Duration.ofSeconds(20));
            assertThat(created.data()).contains("through the gateway");
            assertThat(stream.ended()).isFalse();
        }
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url(path)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url(path)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
