package com.activityfeed.feed.follows;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.ingest.EventIngestService;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** {@code /api/v1/feed/follows} and {@code following=true} over the real database (SPEC §4, §4a). */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class FollowResourceTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final String FOLLOWS = "/api/v1/feed/follows";

    private final EventIngestService ingest;
    private final AgroalDataSource dataSource;

    FollowResourceTest(EventIngestService ingest, AgroalDataSource dataSource) {
        this.ingest = ingest;
        this.dataSource = dataSource;
    }

    @Test
    void followIsIdempotentListedWithOriginAndFollowersAndUnfollowIsAlways204() {
        String tenant = TestEvents.tenant("fol");
        String ann = TestTokens.reader(tenant, "ann");
        String ben = TestTokens.reader(tenant, "ben");
        given().auth().oauth2(ann).when().put(FOLLOWS + "/actors/ada").then().statusCode(200)
                .body("kind", equalTo("actor")).body("actorId", equalTo("ada")).body("origin", equalTo("manual"))
                .body("followers", equalTo(1)).body("entityType", nullValue());
        String created = given().auth().oauth2(ann).when().put(FOLLOWS + "/actors/ada").then().statusCode(200)
                .body("followers", equalTo(1)).extract().path("createdAt");
        given().auth().oauth2(ben).when().put(FOLLOWS + "/actors/ada").then().statusCode(200).body("followers", equalTo(2));
        given().auth().oauth2(ann).when().put(FOLLOWS + "/entities/deal/d-1").then().statusCode(200)
                .body("kind", equalTo("entity")).body("entityType", equalTo("deal")).body("entityId", equalTo("d-1"))
                .body("followers", equalTo(1));
        given().auth().oauth2(ann).when().put(FOLLOWS + "/types/deploy.finished").then().statusCode(200)
                .body("kind", equalTo("type")).body("type", equalTo("deploy.finished"));

        JsonPath list = given().auth().oauth2(ann).when().get(FOLLOWS).then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("items.kind")).containsExactly("type", "entity", "actor");
        assertThat(list.getInt("items[2].followers")).isEqualTo(2);
        assertThat(list.getString("items[2].createdAt")).isEqualTo(created);
        assertThat(list.getString("nextCursor")).isNull();

        JsonPath first = given().auth().oauth2(ann).queryParam("limit", 2).when().get(FOLLOWS).then().statusCode(200)
                .extract().jsonPath();
        assertThat(first.getList("items.kind")).containsExactly("type", "entity");
        given().auth().oauth2(ann).queryParam("cursor", first.getString("nextCursor")).when().get(FOLLOWS).then()
                .statusCode(200).body("items.kind", equalTo(List.of("actor"))).body("nextCursor", nullValue());

        given().auth().oauth2(ann).when().delete(FOLLOWS + "/actors/ada").then().statusCode(204);
        given().auth().oauth2(ann).when().delete(FOLLOWS + "/actors/ada").then().statusCode(204);
        given().auth().oauth2(ann).when().delete(FOLLOWS + "/actors/never-followed").then().statusCode(204);
        given().auth().oauth2(ben).when().get(FOLLOWS).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].followers", equalTo(1));
    }

    @Test
    void targetsAreCheckedAsEventFieldsAreWithProblemJson() {
        String token = TestTokens.reader(TestEvents.tenant("val"), "ann");
        given().auth().oauth2(token).when().put(FOLLOWS + "/actors/" + "a".repeat(128)).then().statusCode(200);
        given().auth().oauth2(token).when().put(FOLLOWS + "/actors/" + "a".repeat(129)).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("actorId"));
        given().auth().oauth2(token).when().put(FOLLOWS + "/entities/" + "t".repeat(64) + "/x").then().statusCode(200);
        given().auth().oauth2(token).when().put(FOLLOWS + "/entities/" + "t".repeat(65) + "/" + "i".repeat(129))
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("entityType", "entityId")));
        given().auth().oauth2(token).urlEncodingEnabled(false).when().put(FOLLOWS + "/actors/a%01b").then()
                .statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token).when().put(FOLLOWS + "/types/Deploy").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("type"));
        given().auth().oauth2(token).when().delete(FOLLOWS + "/types/" + "x".repeat(65)).then().statusCode(400);
        given().auth().oauth2(token).queryParam("limit", 501).when().get(FOLLOWS).then().statusCode(400);
        given().auth().oauth2(token).queryParam("cursor", "nonsense").when().get(FOLLOWS).then().statusCode(400)
                .contentType("application/problem+json");
        given().when().get(FOLLOWS).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.ingest(TestEvents.tenant("val"))).when()
                .put(FOLLOWS + "/actors/ada").then().statusCode(403);
        given().auth().oauth2(token).queryParam("following", "yes").when().get("/api/v1/feed").then().statusCode(400);
    }

    @Test
    void theFiveThousandthFollowIsTakenAndTheNextIsA409() throws Exception {
        String tenant = TestEvents.tenant("max");
        String token = TestTokens.reader(tenant, "ann");
        given().auth().oauth2(token).when().put(FOLLOWS + "/types/seeded").then().statusCode(200);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO follow (id, tenant_id, user_id, kind, actor_id, term, origin, created_at)
                SELECT gen_random_uuid(), ?, 'ann', 'actor', 'u' || g, ? || 'u' || g, 'manual', now()
                FROM generate_series(1, 4998) g""")) {
            ps.setString(1, tenant);
            ps.setString(2, tenant + "\u001fa\u001f");
            ps.executeUpdate();
        }
        given().auth().oauth2(token).when().put(FOLLOWS + "/actors/number-5000").then().statusCode(200);
        given().auth().oauth2(token).when().put(FOLLOWS + "/actors/number-5001").then().statusCode(409)
                .contentType("application/problem+json");
        // following what is followed already is not a new follow; another user is not limited by ann's
        given().auth().oauth2(token).when().put(FOLLOWS + "/actors/number-5000").then().statusCode(200);
        given().auth().oauth2(TestTokens.reader(tenant, "ben")).when().put(FOLLOWS + "/actors/number-5001").then()
                .statusCode(200);
        given().auth().oauth2(token).when().delete(FOLLOWS + "/actors/number-5000").then().statusCode(204);
        given().auth().oauth2(token).when().put(FOLLOWS + "/actors/number-5001").then().statusCode(200);
    }

    @Test
    void followingKeepsTilesWithAFollowedActorEntityOrTypeAmongTheirMembersInTheCallersTenantOnly() {
        String tenant = TestEvents.tenant("fo");
        String other = TestEvents.tenant("fo");
        RawEvent byAda = TestEvents.event(tenant, "badge_earned", T0).actor("ada", "Ada").build();
        RawEvent byBob = TestEvents.event(tenant, "xp_rank_up", T0.plusSeconds(1)).actor("bob", "Bob").build();
        RawEvent onDeal = TestEvents.event(tenant, "deal.moved", T0.plusSeconds(2)).actor("cy", "Cy")
                .entity("deal", "d-1", "Acme").build();
        RawEvent onOtherDeal = TestEvents.event(tenant, "deal.moved", T0.plusSeconds(3)).actor("cy", "Cy")
                .entity("deal", "d-2", "Other").build();
        RawEvent deploy = TestEvents.event(tenant, "deploy.finished", T0.plusSeconds(4)).actor("dee", "Dee").build();
        // the same actor and entity in another tenant never match
        RawEvent foreign = TestEvents.event(other, "badge_earned", T0.plusSeconds(5)).actor("ada", "Ada")
                .entity("deal", "d-1", "Acme").build();
        ingest.store(List.of(byAda, byBob, onDeal, onOtherDeal, deploy));
        ingest.store(List.of(foreign));
        String ann = TestTokens.reader(tenant, "ann");
        assertThat(following(ann)).isEmpty();
        given().auth().oauth2(ann).queryParam("following", "true").when().get("/api/v1/feed/unread-count").then()
                .statusCode(200).body("unread", equalTo(0));

        given().auth().oauth2(ann).when().put(FOLLOWS + "/actors/ada").then().statusCode(200);
        given().auth().oauth2(ann).when().put(FOLLOWS + "/entities/deal/d-1").then().statusCode(200);
        given().auth().oauth2(ann).when().put(FOLLOWS + "/types/deploy.finished").then().statusCode(200);
        assertThat(following(ann)).containsExactly(deploy.id().toString(), onDeal.id().toString(), byAda.id().toString());
        given().auth().oauth2(ann).queryParam("following", "true").when().get("/api/v1/feed/unread-count").then()
                .statusCode(200).body("unread", equalTo(3)).body("capped", equalTo(false));
        given().auth().oauth2(ann).queryParams(Map.of("following", "true", "types", "deal.moved")).when()
                .get("/api/v1/feed/unread-count").then().statusCode(200).body("unread", equalTo(1));
        JsonPath page = given().auth().oauth2(ann).queryParams(Map.of("following", "true", "limit", "2")).when()
                .get("/api/v1/feed").then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("items.id")).containsExactly(deploy.id().toString(), onDeal.id().toString());
        given().auth().oauth2(ann).queryParams(Map.of("following", "true", "cursor", page.getString("nextCursor")))
                .when().get("/api/v1/feed").then().statusCode(200)
                .body("items.id", equalTo(List.of(byAda.id().toString()))).body("nextCursor", nullValue());

        // another user of the other tenant following ada and deal d-1 sees only the other tenant's tile
        String zed = TestTokens.reader(other, "zed");
        given().auth().oauth2(zed).when().put(FOLLOWS + "/actors/ada").then().statusCode(200).body("followers", equalTo(1));
        assertThat(following(zed)).containsExactly(foreign.id().toString());

        given().auth().oauth2(ann).when().delete(FOLLOWS + "/entities/deal/d-1").then().statusCode(204);
        assertThat(following(ann)).containsExactly(deploy.id().toString(), byAda.id().toString());
    }

    @Test
    void aGroupMatchesWhenAnyMemberHasTheFollowedActor() {
        String tenant = TestEvents.tenant("grp");
        RawEvent a = TestEvents.event(tenant, "badge_earned", T0).actor("ada", "Ada").build();
        RawEvent b = TestEvents.event(tenant, "badge_earned", T0.plusSeconds(5)).actor("bob", "Bob").build();
        RawEvent c = TestEvents.event(tenant, "badge_earned", T0.plusSeconds(10)).actor("cy", "Cy").build();
        ingest.store(List.of(a, b, c));
        String ann = TestTokens.reader(tenant, "ann");
        given().auth().oauth2(ann).when().put(FOLLOWS + "/actors/cy").then().statusCode(200);
        JsonPath feed = given().auth().oauth2(ann).queryParam("following", "true").when().get("/api/v1/feed").then()
                .statusCode(200).extract().jsonPath();
        assertThat(feed.getList("items.kind")).containsExactly("group");
        assertThat(feed.getInt("items[0].count")).isEqualTo(3);
    }

    private static List<String> following(String token) {
        return given().auth().oauth2(token).queryParam("following", "true").when().get("/api/v1/feed").then()
                .statusCode(200).extract().jsonPath().getList("items.id");
    }
}
