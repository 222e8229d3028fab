package com.activityfeed.system.ingest;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC R1: ingest is killed with SIGKILL while clients keep posting batches, some with idempotency
 * keys and some without, and is restarted. The clients behave as ingest's README tells them to:
 * a keyed batch is retried with the same keys until it is answered 202; a keyless batch is retried
 * (as a new batch) after a 503, which means nothing of it was published, or a refused connection,
 * but not after a lost connection, whose outcome is unknown. Afterwards every event answered 202 is in the feed exactly
 * once, and every batch attempt is in the feed entirely or not at all: the kill left no half batch
 * behind (multi-event batches are Kafka transactions; the feed reads read_committed).
 */
class IngestCrashIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 4;
    private static final int BATCH_SIZE = 100;
    private static final int BATCHES_PER_CLIENT = 12;
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    /** One batch attempt: its title prefix (the events' titles are prefix + index) and, if 202, its ids. */
    private record Attempt(String marker, boolean keyed, List<String> acceptedIds) {
    }

    @Test
    void killNineOfIngestMidBatchLeavesNoPartialBatchAndLosesNothingAnswered202() throws Exception {
        String tenant = "icrash-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.ingest(tenant);
        List<Attempt> attempts = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger unknown = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    for (int b = 0; b < BATCHES_PER_CLIENT; b++) {
                        boolean keyed = (client + b) % 2 == 0;
                        postAsDocumented(token, "c" + client + "b" + b, keyed, attempts, accepted, unknown);
                    }
                    return null;
                }));
            }
            // kill once the load is well under way, i.e. with batches in flight
            await().atMost(Duration.ofSeconds(120)).until(() -> accepted.get() >= CLIENTS * 2);
            system.ingest.kill();
            killed.set(true);
            system.ingest.launch();
            for (Future<?> f : running) {
                f.get(5, java.util.concurrent.TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
            if (!system.ingest.ready()) {
                system.ingest.launch();
            }
        }
        assertThat(killed).isTrue();

        Map<String, Integer> expected = new HashMap<>();
        attempts.stream().filter(a -> a.acceptedIds() != null).flatMap(a -> a.acceptedIds().stream())
                .forEach(id -> expected.merge(id, 1, Integer::sum));
        assertThat(expected.values()).as("each event answered 202 once").allMatch(n -> n == 1);
        // every keyed batch was eventually accepted; keyless ones at most once each
        assertThat(attempts.stream().filter(a -> a.keyed() && a.acceptedIds() != null).map(a -> a.marker()).distinct().count())
                .isEqualTo(attempts.stream().filter(Attempt::keyed).map(Attempt::marker).distinct().count());

        String reader = TestTokens.reader(tenant, "grace");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(eventLog(reader).keySet()).containsAll(expected.keySet()));
        // a marker batch posted after everything: once the feed has it, it has everything before it
        List<String> marker = null;
        for (int i = 0; marker == null && i < 20; i++) {
            marker = post(token, batch("last", true)).acceptedIds();
        }
        List<String> last = marker;
        assertThat(last).isNotNull();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(eventLog(reader).keySet()).containsAll(last));

        Map<String, String> log = eventLog(reader); // id -> title
        List<String> ids = new ArrayList<>(eventLogIds(reader));
        assertThat(ids).as("no event stored twice").doesNotHaveDuplicates();
        assertThat(log.keySet()).containsAll(expected.keySet());
        Map<String, Long> perAttempt = log.values().stream()
                .collect(Collectors.groupingBy(title -> title.substring(0, title.lastIndexOf('-')), Collectors.counting()));
        for (Attempt attempt : attempts) {
            long stored = perAttempt.getOrDefault(attempt.marker(), 0L);
            assertThat(stored).as("events of batch %s in the feed (%s)", attempt.marker(),
                            attempt.acceptedIds() != null ? "202" : "no 202")
                    .isIn(attempt.acceptedIds() != null ? List.of((long) BATCH_SIZE) : List.of(0L, (long) BATCH_SIZE));
        }
        assertThat(perAttempt.values()).as("no batch is in the feed in part").allMatch(n -> n == BATCH_SIZE);
        System.getLogger(IngestCrashIT.class.getName()).log(System.Logger.Level.INFO,
                "%d batch attempts, %d answered 202, %d with an unknown outcome".formatted(
                        attempts.size(), accepted.get(), unknown.get()));
    }

    /** Posts one batch the way ingest's README tells clients to, recording every attempt. */
    private static void postAsDocumented(String token, String name, boolean keyed, List<Attempt> attempts,
                                         AtomicInteger accepted, AtomicInteger unknown) throws InterruptedException {
        for (int attempt = 0; attempt < 60; attempt++) {
            // a keyed retry repeats the same body; a keyless retry is a new batch with its own marker
            String marker = keyed ? "K" + name : "N" + name + "a" + attempt;
            Result result;
            try {
                result = post(token, batch(marker, keyed));
            } catch (IOException e) {
                attempts.add(new Attempt(marker, keyed, null));
                if (keyed || e instanceof java.net.ConnectException) {
                    // keyed: a retry is always safe; refused connection: the request never left
                    waitForIngest();
                    continue;
                }
                // no answer to a keyless batch: the outcome is unknown, and a retry could store it twice
                unknown.incrementAndGet();
                return;
            }
            attempts.add(new Attempt(marker, keyed, result.acceptedIds()));
            if (result.acceptedIds() != null) {
                accepted.incrementAndGet();
                return;
            }
            assertThat(result.status()).as(result.body()).isEqualTo(503);
            waitForIngest();
        }
        throw new AssertionError("batch " + name + " was never accepted");
    }

    private static void waitForIngest() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(system.ingest::ready);
    }

    private record Result(int status, String body, List<String> acceptedIds) {
    }

    private static Result post(String token, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.ingest.url("/api/v1/events")))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            return new Result(response.statusCode(), response.body(), null);
        }
        List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).path("events").forEach(e -> ids.add(e.path("id").asText()));
        return new Result(202, response.body(), ids);
    }

    /**
     * BATCH_SIZE high-priority events titled marker-i, with keys marker-i when keyed. Each carries
     * about 3 kB of hard-to-compress log text, so that one batch (~300 kB) takes several produce
     * requests: a kill can land between them, which without a transaction leaves part of it behind.
     */
    private static String batch(String marker, boolean keyed) {
        Function<Integer, String> event = i -> "{\"type\":\"deploy.finished\",\"priority\":\"high\",\"title\":\"" + marker + "-" + i
                + "\"" + (keyed ? ",\"idempotencyKey\":\"" + marker + "-" + i + "\"" : "")
                + ",\"actor\":{\"id\":\"ci\",\"name\":\"CI\"},\"payload\":{\"build\":" + i
                + ",\"log\":\"" + noise(marker.hashCode() * 31L + i) + "\"}}";
        return IntStream.range(0, BATCH_SIZE).mapToObj(event::apply).collect(Collectors.joining(",", "{\"events\":[", "]}"));
    }

    private static String noise(long seed) {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder text = new StringBuilder(3000);
        while (text.length() < 3000) {
            text.append(Long.toHexString(random.nextLong()));
        }
        return text.toString();
    }

    /** The tenant's whole raw event log: id to title. */
    private static Map<String, String> eventLog(String token) throws Exception {
        Map<String, String> titles = new ConcurrentHashMap<>();
        forEachLogged(token, e -> titles.put(e.path("id").asText(), e.path("title").asText()));
        return titles;
    }

    private static List<String> eventLogIds(String token) throws Exception {
        List<String> ids = new ArrayList<>();
        forEachLogged(token, e -> ids.add(e.path("id").asText()));
        return ids;
    }

    private static void forEachLogged(String token, java.util.function.Consumer<JsonNode> each) throws Exception {
        String cursor = null;
        while (true) {
            String path = "/api/v1/feed/events?limit=500"
                    + (cursor == null ? "" : "&since=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.feed.url(path)))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            page.path("items").forEach(each);
            if (page.path("items").isEmpty()) {
                return;
            }
            cursor = page.path("nextCursor").asText();
        }
    }
}
