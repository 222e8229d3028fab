package com.activityfeed.feed.stream;

import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.feed.read.UnreadChanged;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stream against the real broker and database: changes appended to the change log go through
 * the relay, {@code feed.changes} and the fan-out consumer to real HTTP connections.
 * Test profile: keepalive 1 s, 3 streams per user, a buffer of 64, replay batches of 7.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class StreamRouteTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;
    @Inject
    TenantLog changeLog;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    StreamHub hub;
    @Inject
    ChangeFanoutConsumer consumer;
    @Inject
    MeterRegistry registry;
    @Inject
    Event<UnreadChanged> unreadChanged;

    private String tenant;

    @BeforeEach
    void setUp() throws InterruptedException {
        tenant = "st-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(consumer.awaitAssigned(WAIT)).isTrue();
    }

    private String streamUrl(String query) {
        return base.toString().replaceAll("/$", "") + StreamRoute.PATH + (query == null ? "" : "?" + query);
    }

    private SseClient stream(String user) {
        return SseClient.to(streamUrl(null)).bearer(TestTokens.reader(tenant, user)).connect();
    }

    private List<FeedChange> append(int count) {
        return StreamTestSupport.append(changeLog, dataSource, tenant, count, "badge_earned", 10);
    }

    private static List<Long> seqs(List<SseClient.Event> events) {
        return events.stream().filter(e -> e.id() != null).map(SseClient.Event::seq).toList();
    }

    @Test
    void streamStartsWithRetryAndConnectedThenDeliversLiveChangesWithTheirSeq() {
        append(2);
        try (SseClient sse = stream("ann")) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Content-Type")).hasValue("text/event-stream");
            assertThat(sse.header("Cache-Control")).hasValue("no-cache");
            assertThat(sse.header("X-Accel-Buffering")).hasValue("no");
            SseClient.Event connected = sse.awaitEvent("feed.connected", WAIT);
            assertThat(sse.retryMillis()).hasValue(3000L);
            assertThat(connected.id()).isNull();
            assertThat(connected.data()).isEqualTo("{\"lastSeq\":2}");

            List<FeedChange> appended = append(3);
            List<SseClient.Event> live = sse.awaitEvents(3, e -> e.id() != null, WAIT);
            assertThat(sse.events().getFirst().event()).isEqualTo("feed.connected");
            assertThat(seqs(live)).containsExactly(3L, 4L, 5L);
            assertThat(live).allSatisfy(e -> assertThat(e.event()).isEqualTo("activity.event.created"));
            assertThat(live.getFirst().data()).contains(appended.getFirst().tileId().toString());
        }
    }

    @Test
    void keepaliveCommentsComeAtTheConfiguredInterval() {
        try (SseClient sse = stream("kim")) {
            sse.awaitEvent("feed.connected", WAIT);
            List<String> comments = sse.awaitComments(3, Duration.ofSeconds(10));
            assertThat(comments).allSatisfy(c -> assertThat(c).isEqualTo("keepalive"));
            List<Instant> at = sse.commentTimes();
            for (int i = 1; i < 3; i++) {
                // 1 s configured: never early, and not lost
                assertThat(Duration.between(at.get(i - 1), at.get(i))).isBetween(Duration.ofMillis(800), Duration.ofMillis(2500));
            }
        }
    }

    @Test
    void anotherTenantsChangesAreNeverDelivered() {
        String other = tenant + "-x";
        try (SseClient mine = stream("ann");
             SseClient theirs = SseClient.to(streamUrl(null)).bearer(TestTokens.reader(other, "ann")).connect()) {
            mine.awaitEvent("feed.connected", WAIT);
            theirs.awaitEvent("feed.connected", WAIT);
            StreamTestSupport.append(changeLog, dataSource, other, 5, "badge_earned", 10);
            List<FeedChange> own = append(2);
            theirs.awaitEvents(5, e -> e.id() != null, WAIT);
            mine.awaitEvents(2, e -> e.id() != null, WAIT);
            // the other tenant's 5 changes came before our 2 on the relay; none reached us
            assertThat(seqs(mine.events())).containsExactly(1L, 2L);
            assertThat(mine.events().stream().filter(e -> e.id() != null))
                    .allSatisfy(e -> assertThat(e.data()).containsAnyOf(own.get(0).tileId().toString(), own.get(1).tileId().toString()));
            assertThat(seqs(theirs.events())).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void resumeReplaysEverythingAfterTheLastIdInOrderThenGoesLiveWithoutGapOrDuplicate() throws Exception {
        append(30);
        // changes keep arriving while the stream replays and switches to live
        CompletableFuture<List<FeedChange>> writer = CompletableFuture.supplyAsync(() -> append(40));
        try (SseClient sse = SseClient.to(streamUrl(null)).bearer(TestTokens.reader(tenant, "ann")).lastEventId(4).connect()) {
            writer.get(60, TimeUnit.SECONDS);
            List<SseClient.Event> events = sse.awaitEvents(66, e -> e.id() != null, WAIT);
            assertThat(seqs(events)).containsExactlyElementsOf(LongStream.rangeClosed(5, 70).boxed().toList());
            assertThat(sse.events().getFirst().event()).isEqualTo("feed.connected");
            assertThat(sse.events("feed.snapshot-required")).isEmpty();
            assertThat(sse.lastEventId()).isEqualTo("70");
        }
        // the query parameter does the same, for a client opening a new EventSource with a ticket
        try (SseClient sse = SseClient.to(streamUrl("lastEventId=68")).bearer(TestTokens.reader(tenant, "ann")).connect()) {
            assertThat(seqs(sse.awaitEvents(2, e -> e.id() != null, WAIT))).containsExactly(69L, 70L);
        }
    }

    @Test
    void aLiveChangeThatSkipsNumbersIsPrecededByTheMissingOnesFromTheLog() {
        try (SseClient sse = stream("ann")) {
            sse.awaitEvent("feed.connected", WAIT);
            append(1);
            FeedChange hidden = StreamTestSupport.appendUnrelayed(changeLog, dataSource, tenant);
            append(2);
            List<SseClient.Event> events = sse.awaitEvents(4, e -> e.id() != null, WAIT);
            assertThat(seqs(events)).containsExactly(1L, 2L, 3L, 4L);
            assertThat(events.get(1).data()).contains(hidden.tileId().toString());
        }
    }

    @Test
    void resumeAtTheNewestIdSendsNothingOld() {
        append(3);
        try (SseClient sse = SseClient.to(streamUrl(null)).bearer(TestTokens.reader(tenant, "ann")).lastEventId(3).connect()) {
            sse.awaitEvent("feed.connected", WAIT);
            append(1);
            assertThat(seqs(sse.awaitEvents(1, e -> e.id() != null, WAIT))).containsExactly(4L);
            assertThat(sse.events("feed.snapshot-required")).isEmpty();
        }
    }

    @Test
    void aPrunedUnknownOrMalformedIdStartsWithSnapshotRequiredThenStreamsLive() throws Exception {
        append(10);
        StreamTestSupport.prune(dataSource, tenant, 5);
        for (String id : List.of("3", "11", "abc")) {
            try (SseClient sse = SseClient.to(streamUrl(null)).bearer(TestTokens.reader(tenant, "ann")).lastEventId(id).connect()) {
                sse.awaitEvent("feed.snapshot-required", WAIT);
                List<SseClient.Event> events = sse.events();
                assertThat(events.get(0).event()).isEqualTo("feed.connected");
                assertThat(events.get(0).data()).isEqualTo("{\"lastSeq\":10}");
                assertThat(events.get(1).event()).isEqualTo("feed.snapshot-required");
                assertThat(events.get(1).id()).isNull();
                assertThat(seqs(events)).isEmpty();
            }
        }
        // the oldest kept is 6: a client that saw 5 misses nothing
        try (SseClient sse = SseClient.to(streamUrl(null)).bearer(TestTokens.reader(tenant, "ann")).lastEventId(5).connect()) {
            assertThat(seqs(sse.awaitEvents(5, e -> e.id() != null, WAIT))).containsExactly(6L, 7L, 8L, 9L, 10L);
            assertThat(sse.events("feed.snapshot-required")).isEmpty();
        }
        try (SseClient sse = SseClient.to(streamUrl(null)).bearer(TestTokens.reader(tenant, "ann")).lastEventId(2).connect()) {
            sse.awaitEvent("feed.snapshot-required", WAIT);
            append(1);
            assertThat(seqs(sse.awaitEvents(1, e -> e.id() != null, WAIT))).containsExactly(11L);
        }
    }

    @Test
    void typesFilterPassesOnlyMatchingChanges() {
        try (SseClient sse = SseClient.to(streamUrl("types=xp_rank_up,streak_milestone")).bearer(TestTokens.reader(tenant, "ann")).connect()) {
            sse.awaitEvent("feed.connected", WAIT);
            append(2);
            StreamTestSupport.append(changeLog, dataSource, tenant, 1, "xp_rank_up", 10);
            append(1);
            StreamTestSupport.append(changeLog, dataSource, tenant, 1, "streak_milestone", 10);
            assertThat(seqs(sse.awaitEvents(2, e -> e.id() != null, WAIT))).containsExactly(3L, 5L);
        }
        SseClient bad = SseClient.to(streamUrl("types=Bad%20Type")).bearer(TestTokens.reader(tenant, "ann")).connect();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).hasValue("application/problem+json");
        for (String empty : List.of("types=", "types=xp_rank_up,,streak_milestone", "following=")) {
            SseClient refused = SseClient.to(streamUrl(empty)).bearer(TestTokens.reader(tenant, "ann")).connect();
            assertThat(refused.status()).as(empty).isEqualTo(400);
        }
        // at most 50 names: 50 stream, 51 are refused
        String fifty = String.join(",", java.util.stream.IntStream.range(0, 50).mapToObj(i -> "t" + i).toList());
        try (SseClient ok = SseClient.to(streamUrl("types=" + fifty)).bearer(TestTokens.reader(tenant, "ann")).connect()) {
            assertThat(ok.status()).isEqualTo(200);
        }
        SseClient tooMany = SseClient.to(streamUrl("types=" + fifty + ",t50")).bearer(TestTokens.reader(tenant, "ann")).connect();
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.errorBody()).contains("at most 50");
    }

    @Test
    void unreadNoticesReachOnlyThatUsersStreamsWithoutId() {
        try (SseClient ann = stream("ann"); SseClient ann2 = stream("ann"); SseClient bob = stream("bob")) {
            ann.awaitEvent("feed.connected", WAIT);
            ann2.awaitEvent("feed.connected", WAIT);
            bob.awaitEvent("feed.connected", WAIT);
            QuarkusTransaction.requiringNew().run(() -> unreadChanged.fire(new UnreadChanged(tenant, "ann", 7, false)));
            append(1);
            for (SseClient sse : List.of(ann, ann2)) {
                SseClient.Event notice = sse.awaitEvent("feed.unread", WAIT);
                assertThat(notice.id()).isNull();
                assertThat(notice.data()).isEqualTo("{\"unread\":7,\"capped\":false}");
            }
            bob.awaitEvents(1, e -> e.id() != null, WAIT);
            assertThat(bob.events("feed.unread")).isEmpty();
        }
    }

    @Test
    void refusalsAreProblemJsonBeforeTheStreamStarts() {
        SseClient none = SseClient.to(streamUrl(null)).connect();
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("Content-Type")).hasValue("application/problem+json");
        assertThat(none.errorBody()).contains("\"status\":401")
                .contains("a bearer token, a stream ticket or the stream cookie is required");
        assertThat(none.header("WWW-Authenticate")).hasValue("Bearer");

        SseClient bad = SseClient.to(streamUrl(null)).bearer("not-a-token").connect();
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.header("Content-Type")).hasValue("application/problem+json");
        assertThat(bad.errorBody()).contains("malformed token");

        SseClient basic = SseClient.to(streamUrl(null)).header("Authorization", "Basic YTpi").connect();
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.errorBody()).contains("Authorization must be a Bearer token");

        SseClient producer = SseClient.to(streamUrl(null)).bearer(TestTokens.ingest(tenant)).connect();
        assertThat(producer.status()).isEqualTo(403);
        assertThat(producer.header("Content-Type")).hasValue("application/problem+json");
        assertThat(producer.errorBody()).contains("the token's roles do not allow this");
    }

    @Test
    void aUserHoldsAtMostTheConfiguredNumberOfStreams() {
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                SseClient sse = stream("max");
                open.add(sse);
                assertThat(sse.status()).isEqualTo(200);
                sse.awaitEvent("feed.connected", WAIT);
            }
            SseClient fourth = stream("max");
            assertThat(fourth.status()).isEqualTo(429);
            assertThat(fourth.header("Content-Type")).hasValue("application/problem+json");
            assertThat(fourth.header("Retry-After")).isPresent();
            // another user is not affected
            try (SseClient other = stream("other")) {
                assertThat(other.status()).isEqualTo(200);
            }
            open.removeFirst().close();
            await().atMost(WAIT).until(() -> {
                SseClient again = stream("max");
                if (again.status() == 200) {
                    open.add(again);
                    return true;
                }
                return false;
            });
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    void aSlowClientIsCutOffWhileAFastOneKeepsReceivingEverything() throws Exception {
        double cutBefore = registry.counter("feed.stream.clients.cut.off").count();
        try (SseClient fast = stream("fast");
             Socket slow = StreamTestSupport.rawStream(base.getPort(), TestTokens.reader(tenant, "slow"), 1024)) {
            fast.awaitEvent("feed.connected", WAIT);
            await().atMost(WAIT).until(() -> hub.openConnections() >= 2);
            // 300 changes of 64 KiB: far more than the slow socket, its write queue and its buffer of 32 hold
            CompletableFuture<List<FeedChange>> writer = CompletableFuture.supplyAsync(
                    () -> StreamTestSupport.append(changeLog, dataSource, tenant, 300, "badge_earned", 64 * 1024));
            await().atMost(Duration.ofSeconds(60)).failFast("appending failed", writer::isCompletedExceptionally)
                    .until(() -> registry.counter("feed.stream.clients.cut.off").count() > cutBefore);
            // the slow one finds its last notice at the end of what was queued for it, then the end
            InputStream in = slow.getInputStream();
            assertThat(StreamTestSupport.readUntil(in, "event: feed.snapshot-required")).isTrue();
            byte[] rest = in.readAllBytes();
            assertThat(new String(rest, StandardCharsets.ISO_8859_1)).doesNotContain("id: ");
            writer.get(60, TimeUnit.SECONDS);
            List<SseClient.Event> got = fast.awaitEvents(300, e -> e.id() != null, Duration.ofSeconds(60));
            assertThat(seqs(got)).containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
            assertThat(fast.events("feed.snapshot-required")).isEmpty();

        }
    }

    @Test
    void tenThousandConnectsAndDisconnectsLeaveNothingBehind() throws Exception {
        int connections = 10_000;
        int parallel = 16;
        connectAndDrop(500, parallel, "warm");
        await().atMost(WAIT).until(() -> hub.openConnections() == 0);
        long heapBefore = usedHeapAfterGc();
        connectAndDrop(connections, parallel, "churn");
        await().atMost(Duration.ofSeconds(60)).until(() -> hub.openConnections() == 0 && hub.usersWithSlots() == 0);
        long heapAfter = usedHeapAfterGc();
        // a leaked stream holds its connection, buffers and timer: 10,000 of them would be far more
        assertThat(heapAfter - heapBefore).isLessThan(32L * 1024 * 1024);
    }

    private void connectAndDrop(int count, int parallel, String prefix) throws Exception {
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(parallel)) {
            List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String user = prefix + i;
                results.add(executor.submit(() -> {
                    try (Socket socket = StreamTestSupport.rawStream(base.getPort(), TestTokens.reader(tenant, user), 0)) {
                        return StreamTestSupport.readUntil(socket.getInputStream(), "event: feed.connected");
                    }
                }));
            }
            for (var result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
