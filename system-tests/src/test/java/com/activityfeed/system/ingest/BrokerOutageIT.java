package com.activityfeed.system.ingest;

import com.activityfeed.system.SystemUnderTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker stops mid-run: ingest answers 503 with Retry-After within its publish timeout (never
 * 202), answers 202 again once the broker is back, and every event it answered 202 for reaches the
 * feed. The broker is shared by every system test of the JVM, so it is restarted in a finally block.
 */
class BrokerOutageIT {
    /** ingest.publish.timeout of the packaged service (default 5 s) plus room for a loaded machine. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(5).plusSeconds(3);
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    @Test
    void outageIs503NotLostAndRecovers() throws Exception {
        String tenant = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        IngestClient client = new IngestClient(system, tenant);
        List<String> accepted = new ArrayList<>();
        int n = 0;
        for (; n < 5; n++) {
            HttpResponse<String> response = client.post(IngestClient.event("before_outage_" + n, "k-" + n));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            accepted.addAll(IngestClient.ids(response));
        }
        int unavailable = 0;
        try {
            system.infra.kafka().stop();
            for (int i = 0; i < 3; i++, n++) {
                long started = System.nanoTime();
                HttpResponse<String> response = client.post(IngestClient.event("during_outage_" + n, "k-" + n));
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertThat(took).isLessThan(ANSWER_BOUND);
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        t -> assertThat(t).startsWith("application/problem+json"));
                unavailable++;
            }
        } finally {
            system.infra.kafka().start();
        }
        assertThat(unavailable).isEqualTo(3);

        // Back: the first 202 may take a moment while the producer reconnects; it is never anything but 202 or 503.
        int[] next = {n};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            int i = next[0]++;
            HttpResponse<String> response = client.post(IngestClient.event("after_outage_" + i, "k-" + i));
            assertThat(response.statusCode()).as(response.body()).isIn(202, 503);
            if (response.statusCode() == 202) {
                accepted.addAll(IngestClient.ids(response));
                return true;
            }
            return false;
        });
        for (int i = 0; i < 5; i++) {
            int k = next[0]++;
            HttpResponse<String> response = client.post(IngestClient.event("after_outage_" + k, "k-" + k));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            accepted.addAll(IngestClient.ids(response));
        }
        assertThat(accepted.size()).isLessThanOrEqualTo(100);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(client.feedTileIds()).containsAll(accepted));
        JsonNode ready = IngestClient.JSON.readTree(java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(system.ingest.url("/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(ready.path("status").asText()).isEqualTo("UP");
    }
}
