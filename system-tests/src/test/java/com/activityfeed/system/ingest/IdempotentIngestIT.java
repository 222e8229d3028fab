package com.activityfeed.system.ingest;

import com.activityfeed.system.SystemUnderTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A batch posted twice with the same keys yields the same ids, and the feed holds each event once. */
class IdempotentIngestIT {
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    @Test
    void retriedBatchYieldsSameIdsAndOneTileEach() throws Exception {
        String tenant = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        IngestClient client = new IngestClient(system, tenant);
        String batch = IntStream.range(0, 12)
                .mapToObj(i -> IngestClient.event("retry_check_" + i, "order-" + i))
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));

        HttpResponse<String> first = client.post(batch);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        HttpResponse<String> second = client.post(batch);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
        List<String> ids = IngestClient.ids(first);
        assertThat(ids).hasSize(12).doesNotHaveDuplicates();
        assertThat(IngestClient.ids(second)).isEqualTo(ids);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(client.feedTileIds()).containsAll(ids));
        // A third copy after the first two were stored must not add a tile either.
        assertThat(client.post(batch).statusCode()).isEqualTo(202);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> feed = client.feedTileIds();
            assertThat(feed).hasSize(12);
            assertThat(feed).containsExactlyInAnyOrderElementsOf(ids);
        });
    }
}
