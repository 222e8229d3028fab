package com.activityfeed.system.stream;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.PostgresServer;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC R2: a client streams from feed replica A, A is killed with SIGKILL while events keep being
 * posted through ingest, the client reconnects to replica B with the last id it saw (and a ticket
 * A issued), and ends up with every change of the tenant exactly once and in order.
 */
class StreamFailoverIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 400; // 20 s of posting: still going when the first ten reach a cold replica and it is killed

    private static SystemUnderTest system;
    private static ServiceProcess feedA;
    private static ServiceProcess feedB;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
        Path logs = Infra.root().resolve("system-tests/target/service-logs");
        feedA = ServiceProcess.start("feed-service", Ports.free(),
                ServiceProcess.environment(system.infra, "feed", TestTokens.SECRET), logs);
        feedB = ServiceProcess.start("feed-service", Ports.free(),
                ServiceProcess.environment(system.infra, "feed", TestTokens.SECRET), logs);
    }

    @AfterAll
    static void stop() {
        if (feedA != null) {
            feedA.kill();
        }
        if (feedB != null) {
            feedB.close();
        }
    }

    @Test
    void aClientResumingOnAnotherReplicaAfterAKillGetsEveryChangeOnceAndInOrder() throws Exception {
        String tenant = "failover-" + UUID.randomUUID().toString().substring(0, 8);
        String reader = TestTokens.reader(tenant, "ann");
        String ticketFromA = ticket(feedA, reader);

        ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger posted = new AtomicInteger();
        List<Throwable> postFailures = new CopyOnWriteArrayList<>();
        List<SseClient.Event> received = new ArrayList<>();
        try (SseClient onA = SseClient.to(feedA.url("/api/v1/feed/stream")).bearer(reader).connect()) {
            assertThat(onA.status()).isEqualTo(200);
            onA.awaitEvent("feed.connected", Duration.ofSeconds(10));
            // high priority: never grouped, so every event is one activity.event.created (SPEC §4)
            ScheduledFuture<?> posting = poster.scheduleAtFixedRate(() -> {
                if (posted.get() >= EVENTS) {
                    return;
                }
                try {
                    post(tenant, posted.get());
                    posted.incrementAndGet();
                } catch (Throwable e) {
                    postFailures.add(e);
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            try {
                onA.awaitEvents(10, e -> e.id() != null, Duration.ofSeconds(30));
                feedA.kill();
                onA.awaitEnd(Duration.ofSeconds(10));
                received.addAll(onA.events());
                String lastId = onA.lastEventId();
                assertThat(posted.get()).as("still posting when A died").isLessThan(EVENTS);

                // a browser: a fresh EventSource with a ticket (issued by A) and lastEventId
                String url = feedB.url("/api/v1/feed/stream?ticket=" + URLEncoder.encode(ticketFromA, StandardCharsets.UTF_8)
                        + "&lastEventId=" + lastId);
                try (SseClient onB = SseClient.to(url).connect()) {
                    assertThat(onB.status()).as(String.valueOf(onB.errorBody())).isEqualTo(200);
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                            postFailures.isEmpty() && posted.get() == EVENTS
                                    && onB.events("activity.event.created").size()
                                    + received.stream().filter(e -> e.event().equals("activity.event.created")).count() >= EVENTS
                                    && lastSeq(tenant) == Long.parseLong(java.util.Objects.requireNonNullElse(onB.lastEventId(), "-1")));
                    assertThat(postFailures).isEmpty();
                    assertThat(onB.events().getFirst().event()).isEqualTo("feed.connected");
                    assertThat(onB.events("feed.snapshot-required")).isEmpty();
                    received.addAll(onB.events());
                }
            } finally {
                posting.cancel(false);
            }
        } finally {
            poster.shutdownNow();
        }

        long last = lastSeq(tenant);
        List<Long> seqs = received.stream().filter(e -> e.id() != null).map(SseClient.Event::seq).toList();
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
        assertThat(received.stream().filter(e -> e.event().equals("activity.event.created"))).hasSize(EVENTS);
        assertThat(received.stream().filter(e -> e.event().equals("feed.connected"))).hasSize(2);
    }

    private static String ticket(ServiceProcess feed, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(feed.url("/api/v1/feed/stream-tickets")))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("ticket").asText();
    }

    private static void post(String tenant, int n) throws Exception {
        String body = """
                {"type":"badge_earned","priority":"high","actor":{"id":"ada","name":"Ada"},"title":"Badge %d"}"""
                .formatted(n);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.ingest.url("/api/v1/events")))
                .header("Authorization", "Bearer " + TestTokens.ingest(tenant))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new AssertionError("ingest answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static long lastSeq(String tenant) throws Exception {
        try (Connection c = DriverManager.getConnection(system.infra.jdbcUrl("feed"), PostgresServer.USER, "");
             PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM change_log WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
