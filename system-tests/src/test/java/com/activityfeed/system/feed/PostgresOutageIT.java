package com.activityfeed.system.feed;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC R1 under database faults, while events keep arriving through ingest (which needs no
 * database): PostgreSQL restarted under the feed consumer, and PostgreSQL down for 60 s (longer than
 * the Kafka connector's 60 s limit for an unacknowledged record, which used to close the consumer
 * for good). Each time every event ingest answered 202 for ends up in the feed exactly once (raw
 * log and tiles), the feed reports itself not ready while it cannot store, and a stream that was
 * open throughout gets live changes again afterwards. PostgreSQL is shared by every system test of
 * the JVM, so it is started again in a finally block.
 */
class PostgresOutageIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    @Test
    void postgresRestartedUnderTheFeedConsumerLosesAndDuplicatesNothing() throws Exception {
        outage("pgrestart", Duration.ZERO);
    }

    @Test
    void postgresDownForSixtySecondsStallsTheFeedVisiblyThenItCatchesUpCompletely() throws Exception {
        outage("pgdown", Duration.ofSeconds(60));
    }

    private void outage(String prefix, Duration down) throws Exception {
        String tenant = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String reader = TestTokens.reader(tenant, "grace");
        try (SseClient stream = SseClient.to(system.feed.url("/api/v1/feed/stream")).bearer(reader)
                .timeout(Duration.ofMinutes(5)).connect()) {
            assertThat(stream.status()).isEqualTo(200);
            stream.awaitEvent("feed.connected", Duration.ofSeconds(30));
            FeedLoad load = new FeedLoad(system, tenant, 10);
            try (FeedLoad posting = load.start(Duration.ofMillis(100))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> load.batches() >= 10);
                try {
                    system.infra.postgres().stop();
                    if (!down.isZero()) {
                        int before = load.batches();
                        // ingest keeps accepting while the feed's database is away
                        await().atMost(Duration.ofSeconds(30)).until(() -> load.batches() >= before + 10);
                        await().atMost(Duration.ofSeconds(30)).until(() -> !ready(system.feed.url("/q/health/ready")));
                        long until = System.nanoTime() + down.toNanos();
                        await().atMost(down.plusSeconds(5)).pollInterval(Duration.ofSeconds(1))
                                .until(() -> System.nanoTime() >= until);
                    }
                } finally {
                    system.infra.postgres().start();
                }
                int after = load.batches();
                await().atMost(Duration.ofSeconds(60)).until(() -> load.batches() >= after + 10);
            }
            Set<String> accepted = load.accepted();
            assertThat(load.failures()).isEmpty();

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(load.eventLogIds()).hasSize(accepted.size()));
            assertThat(load.eventLogIds()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(load.tileIds()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(ready(system.feed.url("/q/health/ready"))).isTrue();

            // live delivery resumed: every accepted event was announced on the stream that stayed open
            stream.awaitEvents(accepted.size(), e -> "activity.event.created".equals(e.event()), Duration.ofSeconds(120));
        }
    }

    private static boolean ready(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
