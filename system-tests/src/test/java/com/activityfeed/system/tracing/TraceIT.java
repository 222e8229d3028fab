package com.activityfeed.system.tracing;

import com.activityfeed.messages.FeedEvents;
import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.ServiceProcess;
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
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace across the three packaged services, each its own process, exported over OTLP/HTTP to
 * a receiver on loopback ({@link OtlpReceiver}) as to a collector: an event's POST to ingest, the
 * send to {@code activity.raw}, the feed's processing, the relay's send to {@code feed.changes},
 * the fan-out and the write on a reader's SSE stream; and a reaction's request to social, its
 * outbox relay, the feed's processing of the update and the stream write. Every span is checked
 * against its parent, so a hop that drops or replaces the context fails the test.
 */
class TraceIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    @Test
    void anEventAndAReactionAreEachOneTraceFromTheRequestToTheStreamWrite() throws Exception {
        String tenant = "trace-" + UUID.randomUUID().toString().substring(0, 8);
        try (SseClient stream = SseClient.to(system.feed.url("/api/v1/feed/stream"))
                .bearer(TestTokens.reader(tenant, "linus")).connect()) {
            assertThat(stream.status()).isEqualTo(200);
            stream.awaitEvent(FeedEvents.CONNECTED, WAIT);

            String eventTrace = hex(16);
            String caller = hex(8);
            HttpResponse<String> posted = send("POST", system.ingest, "/api/v1/events", TestTokens.ingest(tenant),
                    "{\"type\":\"badge_earned\",\"actor\":{\"id\":\"ada\",\"name\":\"Ada\"}}", "00-" + eventTrace + "-" + caller + "-01");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            String tile = JSON.readTree(posted.body()).path("events").get(0).path("id").asText();
            SseClient.Event created = stream.awaitEvent(FeedEvents.TILE_CREATED, WAIT);

            OtlpReceiver.Span request = span(eventTrace, "ingest-service", null, caller);
            assertThat(request.kind()).isEqualTo(OtlpReceiver.Span.SERVER);
            OtlpReceiver.Span sent = span(eventTrace, "ingest-service", "send activity.raw", request.spanId());
            assertThat(sent.kind()).isEqualTo(OtlpReceiver.Span.PRODUCER);
            assertThat(sent.attributes()).containsEntry("messaging.destination.name", "activity.raw")
                    .containsEntry("messaging.kafka.message.key", tenant);
            OtlpReceiver.Span processed = span(eventTrace, "feed-service", "process activity.raw", sent.spanId());
            assertThat(processed.kind()).isEqualTo(OtlpReceiver.Span.CONSUMER);
            streamed(eventTrace, processed, created);

            // social learns the tile from feed.changes; until then the reaction is a 404
            String reactionTrace = hex(16);
            String reactor = hex(8);
            await().atMost(WAIT).until(() -> send("PUT", system.social, "/api/v1/tiles/" + tile + "/reactions/hype",
                    TestTokens.reader(tenant, "grace"), null, "00-" + reactionTrace + "-" + reactor + "-01").statusCode() == 200);
            SseClient.Event reaction = stream.awaitEvent(FeedEvents.REACTION_UPDATED, WAIT);

            OtlpReceiver.Span relayed = span(reactionTrace, "social-service", "send social.updates", null);
            assertThat(relayed.kind()).isEqualTo(OtlpReceiver.Span.PRODUCER);
            OtlpReceiver.Span put = await().atMost(WAIT).until(() -> system.traces.trace(reactionTrace).stream()
                    .filter(s -> s.spanId().equals(relayed.parentSpanId())).findFirst(), o -> o.isPresent()).get();
            assertThat(put.service()).isEqualTo("social-service");
            assertThat(put.kind()).isEqualTo(OtlpReceiver.Span.SERVER);
            assertThat(put.parentSpanId()).isEqualTo(reactor);
            OtlpReceiver.Span applied = span(reactionTrace, "feed-service", "process social.updates", relayed.spanId());
            assertThat(applied.kind()).isEqualTo(OtlpReceiver.Span.CONSUMER);
            streamed(reactionTrace, applied, reaction);
        }
    }

    /** The change caused under {@code cause}: relayed, fanned out and written as {@code written}. */
    private static void streamed(String trace, OtlpReceiver.Span cause, SseClient.Event written) {
        OtlpReceiver.Span relay = span(trace, "feed-service", "send feed.changes", cause.spanId());
        assertThat(relay.kind()).isEqualTo(OtlpReceiver.Span.PRODUCER);
        OtlpReceiver.Span fanout = span(trace, "feed-service", "process feed.changes", relay.spanId());
        assertThat(fanout.kind()).isEqualTo(OtlpReceiver.Span.CONSUMER);
        OtlpReceiver.Span write = span(trace, "feed-service", "write feed.stream", fanout.spanId());
        assertThat(write.attributes()).containsEntry("feed.change.seq", written.seq())
                .containsEntry("feed.change.event", written.event());
    }

    /** Waits for the span of {@code service} in {@code trace} with this name (any: null) and parent (any: null). */
    private static OtlpReceiver.Span span(String trace, String service, String name, String parent) {
        try {
            return await().atMost(WAIT).until(() -> system.traces.trace(trace).stream()
                    .filter(s -> service.equals(s.service()))
                    .filter(s -> name == null || s.name().equals(name))
                    .filter(s -> parent == null || s.parentSpanId().equals(parent))
                    .findFirst(), o -> o.isPresent()).get();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no span " + name + " of " + service + " with parent " + parent + " in trace " + trace
                    + " (" + system.traces.summary() + "); the trace holds "
                    + system.traces.trace(trace), e);
        }
    }

    private static HttpResponse<String> send(String method, ServiceProcess service, String path, String token,
                                             String body, String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url(path)))
                .header("Authorization", "Bearer " + token).header("traceparent", traceparent)
                .timeout(Duration.ofSeconds(10));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros (an invalid id)
        return HexFormat.of().formatHex(random);
    }
}
