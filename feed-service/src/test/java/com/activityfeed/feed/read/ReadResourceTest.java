package com.activityfeed.feed.read;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class ReadResourceTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private final EventIngestService ingest;
    private final UnreadNotices notices;
    private final AgroalDataSource dataSource;

    ReadResourceTest(EventIngestService ingest, UnreadNotices notices, AgroalDataSource dataSource) {
        this.ingest = ingest;
        this.notices = notices;
        this.dataSource = dataSource;
    }

    private static Map<String, Object> unread(String token, Map<String, ?> query) {
        return given().auth().oauth2(token).queryParams(query).when().get("/api/v1/feed/unread-count").then()
                .statusCode(200).extract().jsonPath().getMap("");
    }

    @Test
    void readsFollowContentAndAGrownGroupIsUnreadAgain() throws Exception {
        String tenant = TestEvents.tenant("read");
        RawEvent a = TestEvents.event(tenant, "badge_earned", T0).build();
        RawEvent b = TestEvents.event(tenant, "badge_earned", T0.plusSeconds(1)).build();
        RawEvent u = TestEvents.event(tenant, "xp_rank_up", T0).priority(Priority.URGENT).build();
        ingest.store(List.of(a, b, u));
        String token = TestTokens.reader(tenant, "ada");
        assertThat(unread(token, Map.of())).containsEntry("unread", 3).containsEntry("capped", false);
        assertThat(unread(token, Map.of("types", "xp_rank_up"))).containsEntry("unread", 1);

        given().auth().oauth2(token).contentType("application/json").body(Map.of("tileIds", List.of(a.id().toString())))
                .when().post("/api/v1/feed/read").then().statusCode(200).body("unread", equalTo(2))
                .body("capped", equalTo(false));
        assertThat(notices.seen()).anySatisfy(n -> {
            assertThat(n.tenantId()).isEqualTo(tenant);
            assertThat(n.userId()).isEqualTo("ada");
            assertThat(n.unread()).isEqualTo(2);
        });
        given().auth().oauth2(token).queryParam("unread", "true").when().get("/api/v1/feed").then().statusCode(200)
                .body("items.size()", equalTo(2));
        // another user's state is their own
        assertThat(unread(TestTokens.reader(tenant, "bob"), Map.of())).containsEntry("unread", 3);

        given().auth().oauth2(token).when().post("/api/v1/feed/read-all").then().statusCode(200).body("unread", equalTo(0));
        given().auth().oauth2(token).when().get("/api/v1/feed").then().body("items.read", org.hamcrest.Matchers.everyItem(
                equalTo(true)));

        // a reaction (social change) never makes a tile unread
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tile_social (tile_id, tenant_id, hype, last_seq) VALUES (?, ?, 1, 999999)")) {
            ps.setObject(1, u.id());
            ps.setString(2, tenant);
            ps.executeUpdate();
        }
        assertThat(unread(token, Map.of())).containsEntry("unread", 0);

        // the third event folds a and b into a group: new content, unread again; growth again
        ingest.store(List.of(TestEvents.event(tenant, "badge_earned", T0.plusSeconds(2)).build()));
        assertThat(unread(token, Map.of())).containsEntry("unread", 1);
        given().auth().oauth2(token).when().post("/api/v1/feed/read-all").then().body("unread", equalTo(0));
        ingest.store(List.of(TestEvents.event(tenant, "badge_earned", T0.plusSeconds(3)).build()));
        assertThat(unread(token, Map.of())).containsEntry("unread", 1);
        // reading the group through a folded member's id (an alias) reads the group
        given().auth().oauth2(token).contentType("application/json").body(Map.of("tileIds", List.of(b.id().toString())))
                .when().post("/api/v1/feed/read").then().statusCode(200).body("unread", equalTo(0));
    }

    @Test
    void aTileOfAnotherTenantIsNeitherReadHereNorThere() throws Exception {
        String mine = TestEvents.tenant("readmine");
        String theirs = TestEvents.tenant("readtheirs");
        RawEvent own = TestEvents.event(mine, "badge_earned", T0).build();
        RawEvent foreign = TestEvents.event(theirs, "badge_earned", T0).build();
        ingest.store(List.of(own, foreign));
        // the same user id in both tenants: only the tenant tells their read state apart
        String token = TestTokens.reader(mine, "ada");
        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("tileIds", List.of(foreign.id().toString()))).when().post("/api/v1/feed/read")
                .then().statusCode(200).body("unread", equalTo(1));
        assertThat(unread(TestTokens.reader(theirs, "ada"), Map.of())).containsEntry("unread", 1);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM tile_read WHERE tile_id = ?")) {
            ps.setObject(1, foreign.id());
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("no read mark for a tile of another tenant").isZero();
            }
        }
        // reading everything moves only this tenant's watermark
        given().auth().oauth2(token).when().post("/api/v1/feed/read-all").then().statusCode(200).body("unread", equalTo(0));
        assertThat(unread(TestTokens.reader(theirs, "ada"), Map.of())).containsEntry("unread", 1);
    }

    @Test
    void theUnreadCountIsCappedAtOneThousand() {
        String tenant = TestEvents.tenant("cap");
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            events.add(TestEvents.event(tenant, "x", T0.plusSeconds(i)).priority(Priority.HIGH).build());
        }
        ingest.store(events.subList(0, 1000));
        String token = TestTokens.reader(tenant, "u");
        assertThat(unread(token, Map.of())).containsEntry("unread", 1000).containsEntry("capped", false);
        ingest.store(events.subList(1000, 1001));
        assertThat(unread(token, Map.of())).containsEntry("unread", 1000).containsEntry("capped", true);
    }

    @Test
    void badReadRequestsAreProblems() {
        String token = TestTokens.reader("read-bad", "u");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(java.util.UUID.randomUUID().toString());
        }
        for (Object body : List.of(Map.of(), Map.of("tileIds", List.of()), Map.of("tileIds", List.of("nope")), Map.of("tileIds", tooMany))) {
            given().auth().oauth2(token).contentType("application/json").body(body).when().post("/api/v1/feed/read")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(token).contentType("application/json").body(Map.of("tileIds", tooMany.subList(0, 100)))
                .when().post("/api/v1/feed/read").then().statusCode(200);
        given().auth().oauth2(token).queryParam("priority", "bad").when().get("/api/v1/feed/unread-count").then()
                .statusCode(400);
    }
}
