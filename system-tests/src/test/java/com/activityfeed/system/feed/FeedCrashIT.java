package com.activityfeed.system.feed;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.TestTokens;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC R1: feed-service is killed with SIGKILL while events keep arriving, and restarted. Every
 * event ingest answered 202 for ends up in the feed exactly once: in the raw event log and as a
 * tile (the events are high priority, so each stays a single tile whose id is the event's id).
 */
class FeedCrashIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCHES = 40;
    private static final int BATCH_SIZE = 10;
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    @Test
    void killNineOfFeedDuringLoadLosesAndDuplicatesNothing() throws Exception {
        String tenant = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        Set<String> accepted = new HashSet<>();
        try {
            for (int batch = 0; batch < BATCHES; batch++) {
                accepted.addAll(post(tenant, batch));
                if (batch == BATCHES / 3) {
                    system.feed.kill();
                } else if (batch == 2 * BATCHES / 3) {
                    system.feed.launch();
                }
            }
        } finally {
            if (!system.feed.ready()) {
                system.feed.launch();
            }
        }
        assertThat(accepted).hasSize(BATCHES * BATCH_SIZE);

        FeedLoad feed = new FeedLoad(system, tenant, BATCH_SIZE);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(feed.eventLogIds()).hasSize(accepted.size()));
        List<String> logged = feed.eventLogIds();
        assertThat(logged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(accepted);
        List<String> tiles = feed.tileIds();
        assertThat(tiles).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(accepted);
    }

    /** One batch of high-priority events with idempotency keys; retried on 503 as a client would. */
    private static List<String> post(String tenant, int batch) throws Exception {
        String body = IntStream.range(0, BATCH_SIZE)
                .mapToObj(i -> "{\"type\":\"deploy.finished\",\"priority\":\"high\",\"idempotencyKey\":\"b" + batch + "-" + i
                        + "\",\"actor\":{\"id\":\"ci\",\"name\":\"CI\"}}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.ingest.url("/api/v1/events")))
                    .header("Authorization", "Bearer " + TestTokens.ingest(tenant))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 503 && attempt < 5) {
                continue;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            List<String> ids = new ArrayList<>();
            JSON.readTree(response.body()).path("events").forEach(e -> ids.add(e.path("id").asText()));
            return ids;
        }
    }
}
