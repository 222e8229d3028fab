package com.activityfeed.feed.stats;

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
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
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
class StatsResourceTest {
    private final EventIngestService ingest;
    private final AgroalDataSource dataSource;

    StatsResourceTest(EventIngestService ingest, AgroalDataSource dataSource) {
        this.ingest = ingest;
        this.dataSource = dataSource;
    }

    private String seed() throws Exception {
        String tenant = TestEvents.tenant("stats");
        List<RawEvent> events = new ArrayList<>();
        // Sunday 2026-11-22 23:30 UTC is Monday 00:30 in Europe/Berlin
        events.add(TestEvents.event(tenant, "badge_earned", Instant.parse("2026-11-22T23:30:00Z")).actor("ada", "Ada")
                .entity("deal", "d1", "Big deal").priority(Priority.HIGH).build());
        events.add(TestEvents.event(tenant, "badge_earned", Instant.parse("2026-11-20T10:00:00Z")).actor("ada", "Ada")
                .entity("deal", "d1", "Big deal").priority(Priority.HIGH).build());
        events.add(TestEvents.event(tenant, "xp_rank_up", Instant.parse("2026-11-02T10:00:00Z")).actor("bob", "Bob")
                .entity("deal", "d2", null).priority(Priority.HIGH).build());
        events.add(TestEvents.event(tenant, "xp_rank_up", Instant.parse("2026-06-01T10:00:00Z")).actor("bob", "Bob")
                .priority(Priority.HIGH).build());
        ingest.store(events);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tile_social (tile_id, tenant_id, hype, respect, comment_count) VALUES (?, ?, 2, 1, 4)")) {
            ps.setObject(1, events.get(2).id());
            ps.setString(2, tenant);
            ps.executeUpdate();
        }
        return tenant;
    }

    @Test
    void statsHaveTheSpecShapeInTheCallersTimeZone() throws Exception {
        String tenant = seed();
        JsonPath s = given().auth().oauth2(TestTokens.reader(tenant, "ada"))
                .queryParams(Map.of("to", "2026-11-23T12:00:00Z", "tz", "Europe/Berlin")).when()
                .get("/api/v1/feed/stats").then().statusCode(200).extract().jsonPath();
        assertThat(s.getLong("total")).isEqualTo(3); // the June event is outside the default 84 days
        assertThat(s.getLong("uniqueEntities")).isEqualTo(2);
        assertThat(s.getLong("uniqueActors")).isEqualTo(2);
        assertThat(s.getList("byType.type")).containsExactly("badge_earned", "xp_rank_up");
        assertThat(s.getList("weekly")).hasSize(12);
        assertThat(s.getString("weekly[11].week")).isEqualTo("2026-W48");
        assertThat(s.getInt("weekly[11].count")).isEqualTo(1); // Monday in Berlin
        assertThat(s.getInt("weekly[10].count")).isEqualTo(1);
        assertThat(s.getList("daily")).hasSize(30);
        assertThat(s.getString("daily[29].date")).isEqualTo("2026-11-23");
        assertThat(s.getList("byWeekday.day")).containsExactly("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");
        assertThat(s.getInt("byWeekday[0].count")).isEqualTo(2);
        assertThat(s.getString("topEntities[0].entityId")).isEqualTo("d1");
        assertThat(s.getString("topEntities[0].name")).isEqualTo("Big deal");
        assertThat(s.getString("topActors[0].actorId")).isEqualTo("ada");
        assertThat(s.getInt("topTiles[0].reactions")).isEqualTo(3);
        assertThat(s.getInt("topTiles[0].comments")).isEqualTo(4);
        assertThat(s.getBoolean("partial")).isFalse();
        assertThat(s.getList("errors")).isEmpty();

        JsonPath me = given().auth().oauth2(TestTokens.reader(tenant, "bob"))
                .queryParams(Map.of("to", "2026-11-23T12:00:00Z", "actorId", "me", "from", "2026-01-01T00:00:00Z"))
                .when().get("/api/v1/feed/stats").then().statusCode(200).extract().jsonPath();
        assertThat(me.getLong("total")).isEqualTo(2);
        assertThat(me.getList("topActors.actorId")).containsExactly("bob");
    }

    @Test
    void aSectionThatTimesOutLeavesAPartialAnswer() throws Exception {
        String tenant = seed();
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.execute("LOCK TABLE tile_social IN ACCESS EXCLUSIVE MODE");
                JsonPath s = given().auth().oauth2(TestTokens.reader(tenant, "ada"))
                        .queryParam("to", "2026-11-23T12:00:00Z").when().get("/api/v1/feed/stats").then().statusCode(200)
                        .extract().jsonPath();
                assertThat(s.getBoolean("partial")).isTrue();
                assertThat(s.getList("errors.section")).containsExactly("topTiles");
                assertThat(s.getString("errors[0].message")).isEqualTo("timed out");
                assertThat(s.getLong("total")).isEqualTo(3);
                assertThat(s.getList("weekly")).hasSize(12);
            } finally {
                blocker.rollback();
            }
        }
    }

    @Test
    void badParametersAreProblems() {
        String token = TestTokens.reader("stats-bad", "u");
        for (Map<String, String> q : List.of(Map.of("tz", "Mars/Olympus"), Map.of("from", "x"),
                Map.of("from", "2026-11-02T00:00:00Z", "to", "2026-11-01T00:00:00Z"),
                Map.of("from", "2020-01-01T00:00:00Z", "to", "2026-01-01T00:00:00Z"))) {
            given().auth().oauth2(token).queryParams(q).when().get("/api/v1/feed/stats").then().statusCode(400)
                    .body("status", equalTo(400));
        }
    }
}
