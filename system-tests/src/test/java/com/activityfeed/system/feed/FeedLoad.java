package com.activityfeed.system.feed;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Load for the fault tests: posts a batch of high-priority events (never grouped, so each event is
 * its own tile) every {@code period} through ingest, as a client would: with idempotency keys,
 * retrying a 503 with the same keys. Records every id ingest answered 202 for, and reads the
 * feed's raw event log and tiles back for the exactly-once check.
 */
final class FeedLoad implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SystemUnderTest system;
    private final String tenant;
    private final int batchSize;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger batches = new AtomicInteger();
    private final ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor();

    FeedLoad(SystemUnderTest system, String tenant, int batchSize) {
        this.system = system;
        this.tenant = tenant;
        this.batchSize = batchSize;
    }

    /** Starts posting one batch every {@code period}. */
    FeedLoad start(Duration period) {
        poster.scheduleWithFixedDelay(this::postOne, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    String tenant() {
        return tenant;
    }

    /** Batches answered 202 so far. */
    int batches() {
        return batches.get();
    }

    Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops posting and waits for the batch in flight. */
    @Override
    public void close() throws InterruptedException {
        poster.shutdown();
        poster.awaitTermination(2, TimeUnit.MINUTES);
    }

    private void postOne() {
        int batch = batches.get();
        String body = IntStream.range(0, batchSize)
                .mapToObj(i -> "{\"type\":\"deploy.finished\",\"priority\":\"high\",\"idempotencyKey\":\"b" + batch + "-" + i
                        + "\",\"actor\":{\"id\":\"ci\",\"name\":\"CI\"}}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        try {
            for (int attempt = 0; attempt < 20; attempt++) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.ingest.url("/api/v1/events")))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TestTokens.ingest(tenant))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    JSON.readTree(response.body()).path("events").forEach(e -> accepted.add(e.path("id").asText()));
                    batches.incrementAndGet();
                    return;
                }
                if (response.statusCode() != 503) {
                    failures.add(response.statusCode() + " " + response.body());
                    return;
                }
            }
            failures.add("batch " + batch + " answered 503 twenty times");
        } catch (Exception e) {
            failures.add("batch " + batch + ": " + e);
        }
    }

    /** The ids of the tenant's raw event log, in log order. */
    List<String> eventLogIds() throws Exception {
        String token = TestTokens.reader(tenant, "grace");
        List<String> ids = new ArrayList<>();
        String cursor = null;
        while (true) {
            JsonNode page = get(token, "/api/v1/feed/events?limit=500"
                    + (cursor == null ? "" : "&since=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            page.path("items").forEach(e -> ids.add(e.path("id").asText()));
            if (page.path("items").isEmpty()) {
                return ids;
            }
            cursor = page.path("nextCursor").asText();
        }
    }

    /** The ids of the tenant's tiles, every page. */
    List<String> tileIds() throws Exception {
        String token = TestTokens.reader(tenant, "grace");
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get(token, "/api/v1/feed?limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            page.path("items").forEach(t -> ids.add(t.path("id").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        return ids;
    }

    private JsonNode get(String token, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.feed.url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
