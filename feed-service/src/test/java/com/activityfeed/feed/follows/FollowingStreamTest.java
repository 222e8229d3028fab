package com.activityfeed.feed.follows;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.feed.stream.ChangeFanoutConsumer;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/feed/stream?following=true} (SPEC §4a, §5) over the real broker, database
 * and HTTP: tiles, reactions and comments only for followed tiles, chat always, resume with ids
 * that skip, and follow changes applied to open streams, made here or on another replica.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class FollowingStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @TestHTTPResource("/")
    URL base;
    @Inject
    EventIngestService ingest;
    @Inject
    TenantLog tenantLog;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    ChangeFanoutConsumer consumer;
    @Inject
    FollowSets followSets;

    private String tenant;
    private int minutes;

    @BeforeEach
    void setUp() throws InterruptedException {
        tenant = TestEvents.tenant("fs");
        assertThat(consumer.awaitAssigned(WAIT)).isTrue();
    }

    @Test
    void onlyFollowedTilesAndTheirReactionsPassChatAlwaysAndFollowChangesApplyWithoutReconnect() {
        String ann = TestTokens.reader(tenant, "ann");
        given().auth().oauth2(ann).when().put("/api/v1/feed/follows/actors/ada").then().statusCode(200);
        try (SseClient sse = stream(ann, null)) {
            assertThat(sse.status()).isEqualTo(200);
            sse.awaitEvent(FeedEvents.CONNECTED, WAIT);
            RawEvent bob1 = store("bob");
            RawEvent ada1 = store("ada");
            awaitTile(sse, ada1);
            assertThat(sse.events()).noneMatch(e -> e.data().contains(bob1.id().toString()));

            change(FeedEvents.REACTION_UPDATED, bob1.id());
            change(FeedEvents.MESSAGE_CREATED, null);
            change(FeedEvents.REACTION_UPDATED, ada1.id());
            SseClient.Event reaction = sse.awaitEvent(e -> FeedEvents.REACTION_UPDATED.equals(e.event()), WAIT);
            assertThat(reaction.data()).contains(ada1.id().toString());
            assertThat(sse.events(FeedEvents.MESSAGE_CREATED)).hasSize(1);
            assertThat(sse.events(FeedEvents.REACTION_UPDATED)).hasSize(1);

            given().auth().oauth2(ann).when().put("/api/v1/feed/follows/actors/bob").then().statusCode(200);
            RawEvent bob2 = store("bob");
            awaitTile(sse, bob2);

            given().auth().oauth2(ann).when().delete("/api/v1/feed/follows/actors/bob").then().statusCode(204);
            RawEvent bob3 = store("bob");
            RawEvent ada2 = store("ada");
            awaitTile(sse, ada2);
            assertThat(sse.events()).noneMatch(e -> e.data().contains(bob3.id().toString()));
        }
        await().atMost(WAIT).until(() -> followSets.watchedUsers() == 0);
    }

    @Test
    void resumeReplaysOnlyFollowedChangesWhoseIdsSkipTheOthers() {
        String ann = TestTokens.reader(tenant, "ann");
        given().auth().oauth2(ann).when().put("/api/v1/feed/follows/entities/deal/d-1").then().statusCode(200);
        RawEvent first = TestEvents.event(tenant, "deal.moved", next()).actor("cy", "Cy").entity("deal", "d-1", "Acme").build();
        RawEvent other = TestEvents.event(tenant, "deal.moved", next()).actor("cy", "Cy").entity("deal", "d-9", "Zed").build();
        RawEvent second = TestEvents.event(tenant, "deal.won", next()).actor("dee", "Dee").entity("deal", "d-1", "Acme").build();
        ingest.store(List.of(first, other, second));
        try (SseClient sse = stream(ann, "0")) {
            sse.awaitEvent(FeedEvents.CONNECTED, WAIT);
            List<SseClient.Event> replayed = sse.awaitEvents(2, e -> e.id() != null, WAIT);
            assertThat(replayed).extracting(SseClient.Event::seq).containsExactly(1L, 3L);
            assertThat(replayed.get(1).data()).contains(second.id().toString());
            RawEvent live = TestEvents.event(tenant, "deal.lost", next()).actor("eve", "Eve").entity("deal", "d-1", "Acme").build();
            ingest.store(List.of(live));
            awaitTile(sse, live);
            assertThat(sse.events()).noneMatch(e -> e.data().contains(other.id().toString()));
        }
        // resuming after the first: the skipped id is not sent, the next followed one is
        try (SseClient sse = stream(ann, "1")) {
            List<SseClient.Event> replayed = sse.awaitEvents(2, e -> e.id() != null, WAIT);
            assertThat(replayed).extracting(SseClient.Event::seq).containsExactly(3L, 4L);
        }
    }

    @Test
    void aFollowMadeOnAnotherReplicaReachesOpenStreamsThroughItsOwnerRow() throws Exception {
        String ann = TestTokens.reader(tenant, "ann");
        try (SseClient sse = stream(ann, null)) {
            sse.awaitEvent(FeedEvents.CONNECTED, WAIT);
            // what another replica's FollowService commits: the follow and the bumped owner row, no event here
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO follow (id, tenant_id, user_id, kind, actor_id, term, origin, created_at)
                    VALUES (gen_random_uuid(), ?, 'ann', 'actor', 'kim', ?, 'manual', now());
                    INSERT INTO follow_owner (tenant_id, user_id, changed_at) VALUES (?, 'ann', clock_timestamp())
                    ON CONFLICT (tenant_id, user_id) DO UPDATE SET changed_at = clock_timestamp()""")) {
                ps.setString(1, tenant);
                ps.setString(2, tenant + "\u001fa\u001fkim");
                ps.setString(3, tenant);
                ps.executeUpdate();
            }
            RawEvent kim = store("kim");
            awaitTile(sse, kim);
        }
    }

    @Test
    void aFollowingValueOtherThanTrueOrFalseIsA400() {
        try (SseClient sse = SseClient.to(url("following=yes")).bearer(TestTokens.reader(tenant, "ann")).connect()) {
            assertThat(sse.status()).isEqualTo(400);
            assertThat(sse.header("Content-Type")).hasValue("application/problem+json");
        }
    }

    private SseClient stream(String token, String lastEventId) {
        SseClient.Builder builder = SseClient.to(url("following=true")).bearer(token);
        if (lastEventId != null) {
            builder.lastEventId(lastEventId);
        }
        return builder.connect();
    }

    private String url(String query) {
        return base.toString().replaceAll("/$", "") + "/api/v1/feed/stream?" + query;
    }

    /** Events ten minutes apart never group. */
    private Instant next() {
        return T0.plus(Duration.ofMinutes(10L * minutes++));
    }

    private RawEvent store(String actor) {
        RawEvent event = TestEvents.event(tenant, "badge_earned", next()).actor(actor, actor).build();
        ingest.store(List.of(event));
        return event;
    }

    private static void awaitTile(SseClient sse, RawEvent event) {
        sse.awaitEvent(e -> FeedEvents.TILE_CREATED.equals(e.event()) && e.data().contains(event.id().toString()), WAIT);
    }

    private void change(String event, UUID tileId) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                tenantLog.lock(c, tenant).append(new TenantLog.Entry(event, tileId, null, null, List.of(), Instant.now(),
                        MessageCodec.mapper().createObjectNode().put("tileId", String.valueOf(tileId))));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
