package com.activityfeed.feed.tiles;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.grouping.TileIds;
import com.activityfeed.feed.ingest.EventIngestService;
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
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;

/** {@code GET /api/v1/feed/tiles/{id}/reactions}: who reacted, per type, the tile's tenant only. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class ReactorsResourceTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private final EventIngestService ingest;
    private final AgroalDataSource dataSource;

    ReactorsResourceTest(EventIngestService ingest, AgroalDataSource dataSource) {
        this.ingest = ingest;
        this.dataSource = dataSource;
    }

    private void react(UUID tile, String tenant, String user, String type) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tile_reaction (tile_id, user_id, type, tenant_id) VALUES (?, ?, ?, ?)")) {
            ps.setObject(1, tile);
            ps.setString(2, user);
            ps.setString(3, type);
            ps.setString(4, tenant);
            ps.executeUpdate();
        }
    }

    @Test
    void listsWhoReactedPerTypeThroughAliasesAndCapsEachList() throws Exception {
        String tenant = TestEvents.tenant("reactors");
        List<RawEvent> events = List.of(TestEvents.event(tenant, "badge_earned", T0).build(),
                TestEvents.event(tenant, "badge_earned", T0.plusSeconds(1)).build(),
                TestEvents.event(tenant, "badge_earned", T0.plusSeconds(2)).build());
        ingest.store(events);
        UUID group = TileIds.group(tenant, events.get(0).id());
        react(group, tenant, "bob", "hype");
        react(group, tenant, "ada", "hype");
        for (int i = 0; i < ReactorsResource.MAX_PER_TYPE + 1; i++) {
            react(group, tenant, "fan-" + (100 + i), "respect");
        }
        String token = TestTokens.reader(tenant, "carol");
        // asked through a folded member's id: the group's reactions
        given().auth().oauth2(token).when().get("/api/v1/feed/tiles/" + events.get(1).id() + "/reactions")
                .then().statusCode(200)
                .body("hype", contains("ada", "bob"))
                .body("respect", hasSize(ReactorsResource.MAX_PER_TYPE))
                .body("tribute", empty());
        // another tenant sees nothing of it
        given().auth().oauth2(TestTokens.reader(TestEvents.tenant("other"), "eve"))
                .when().get("/api/v1/feed/tiles/" + group + "/reactions")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(token).when().get("/api/v1/feed/tiles/not-a-uuid/reactions").then().statusCode(404);
        given().when().get("/api/v1/feed/tiles/" + group + "/reactions").then().statusCode(401);
    }
}
