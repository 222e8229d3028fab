package com.activityfeed.social.reactions;

import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.messages.TileRef;
import com.activityfeed.social.Fixtures;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static com.activityfeed.social.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "social"))
class ReactionResourceTest {
    private static final String PATH = "/api/v1/tiles/{tileId}/reactions/{type}";

    @Test
    void aReactionIsAnIdempotentUpsertAndCanBeTakenBackEachChangePublishedOnce() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");

        as(tenant, "grace").put(PATH, tile, "hype").then().statusCode(200)
                .body("tileId", equalTo(tile.toString()))
                .body("counts.hype", equalTo(1)).body("counts.respect", equalTo(0)).body("counts.tribute", equalTo(0))
                .body("myReactions", contains("hype"));
        as(tenant, "grace").put(PATH, tile, "hype").then().statusCode(200)
                .body("counts.hype", equalTo(1)).body("myReactions", contains("hype"));
        as(tenant, "linus").put(PATH, tile, "hype").then().statusCode(200)
                .body("counts.hype", equalTo(2)).body("myReactions", contains("hype"));
        as(tenant, "grace").put(PATH, tile, "tribute").then().statusCode(200)
                .body("counts.tribute", equalTo(1)).body("myReactions", contains("hype", "tribute"));
        as(tenant, "grace").delete(PATH, tile, "hype").then().statusCode(200)
                .body("counts.hype", equalTo(1)).body("myReactions", contains("tribute"));
        as(tenant, "grace").delete(PATH, tile, "hype").then().statusCode(200)
                .body("counts.hype", equalTo(1));

        List<SocialUpdate> updates = Fixtures.updates(tenant, u -> u.size() >= 4);
        assertThat(updates).extracting(SocialUpdate::kind).containsOnly(SocialUpdate.Kind.REACTION_UPDATED);
        assertThat(updates).extracting(u -> u.reaction().actorId() + ":" + u.reaction().reactionType() + ":" + u.reaction().action())
                .containsExactly("grace:hype:added", "linus:hype:added", "grace:tribute:added", "grace:hype:removed");
        SocialUpdate last = updates.get(3);
        assertThat(last.reaction().tileId()).isEqualTo(tile);
        assertThat(last.reaction().counts().hype()).isEqualTo(1);
        assertThat(last.reaction().userReactions()).containsExactly("tribute");
        assertThat(updates).extracting(SocialUpdate::id).doesNotHaveDuplicates();
    }

    @Test
    void anUnknownTypeIsA400Problem() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        as(tenant, "grace").put(PATH, tile, "love").then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400)).body("errors[0].field", equalTo("type"));
        as(tenant, "grace").delete(PATH, tile, "HYPE").then().statusCode(400);
    }

    @Test
    void anUnknownTileIs404AfterTheBoundedWaitAndAMalformedIdIs404() {
        String tenant = Fixtures.tenant();
        long start = System.nanoTime();
        as(tenant, "grace").put(PATH, UUID.randomUUID(), "hype").then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        as(tenant, "grace").put(PATH, "not-a-uuid", "hype").then().statusCode(404);
    }

    @Test
    void aTileAnnouncedWhileTheRequestWaitsIsFound() throws Exception {
        String tenant = Fixtures.tenant();
        UUID tile = UUID.randomUUID();
        CompletableFuture<Response> request = CompletableFuture.supplyAsync(
                () -> as(tenant, "grace").put(PATH, tile, "respect"));
        Fixtures.announce(tenant, FeedEvents.TILE_CREATED, tile, new TileRef(tile, "single", List.of("ada")), null);
        request.get().then().statusCode(200).body("counts.respect", equalTo(1));
    }

    @Test
    void theTilesOwnActorAndEveryActorOfAGroupAreRefused() {
        String tenant = Fixtures.tenant();
        UUID single = Fixtures.tile(tenant, "ada");
        as(tenant, "ada").put(PATH, single, "hype").then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
        UUID other = Fixtures.tile(tenant, "linus");
        UUID group = Fixtures.fold(tenant, List.of(single, other), List.of("ada", "linus"));
        as(tenant, "linus").put(PATH, group, "hype").then().statusCode(403);
        as(tenant, "ada").put(PATH, other, "hype").then().statusCode(403);
        as(tenant, "grace").put(PATH, group, "hype").then().statusCode(200).body("counts.hype", equalTo(1));
    }

    @Test
    void theTenthNewReactionInAnHourIsAcceptedTheEleventhIs429AndRepeatsDoNotCount() {
        String tenant = Fixtures.tenant();
        List<UUID> tiles = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tiles.add(Fixtures.tile(tenant, "ada"));
        }
        int made = 0;
        for (UUID tile : tiles) {
            for (String type : ReactionType.ALL) {
                if (made == 10) {
                    break;
                }
                as(tenant, "grace").put(PATH, tile, type).then().statusCode(200);
                made++;
            }
        }
        // Taking one back and repeating an existing one change nothing in the count.
        as(tenant, "grace").put(PATH, tiles.get(0), "hype").then().statusCode(200);
        as(tenant, "grace").delete(PATH, tiles.get(0), "hype").then().statusCode(200);
        Response refused = as(tenant, "grace").put(PATH, tiles.get(3), "respect");
        refused.then().statusCode(429).contentType(startsWith("application/problem+json")).body("status", equalTo(429));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(3000L, 3600L);
        // Re-adding the one taken back is a new reaction too.
        as(tenant, "grace").put(PATH, tiles.get(0), "hype").then().statusCode(429);
        // Another user, or the same user name in another tenant, has an allowance of their own.
        as(tenant, "linus").put(PATH, tiles.get(3), "respect").then().statusCode(200).body("counts.respect", equalTo(1))
                .body("myReactions", contains("respect"));
        UUID elsewhere = Fixtures.tile("x" + tenant, "ada");
        as("x" + tenant, "grace").put(PATH, elsewhere, "respect").then().statusCode(200);
    }

    @Test
    void concurrentNewReactionsOfOneUserNeverExceedTheLimit() throws Exception {
        String tenant = Fixtures.tenant();
        List<UUID> tiles = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tiles.add(Fixtures.tile(tenant, "ada"));
        }
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (UUID tile : tiles) {
            for (String type : ReactionType.ALL) {
                calls.add(CompletableFuture.supplyAsync(() -> as(tenant, "grace").put(PATH, tile, type).statusCode()));
            }
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> call : calls) {
            statuses.add(call.get());
        }
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(10);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(8);
        assertThat(Fixtures.count("SELECT count(*) FROM reaction WHERE tenant_id = ? AND user_id = 'grace'", tenant))
                .isEqualTo(10);
    }

    @Test
    void withoutTokenIs401AndWithoutReaderRoleIs403() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        RestAssured.given().put(PATH, tile, "hype").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
        RestAssured.given().header("Authorization", "Bearer " + TestTokens.ingest(tenant)).put(PATH, tile, "hype")
                .then().statusCode(403).contentType(startsWith("application/problem+json"));
        as(tenant, "grace").get(PATH, tile, "hype").then().statusCode(405)
                .contentType(startsWith("application/problem+json"));
        as(tenant, "grace").delete(PATH, tile, "tribute").then().statusCode(200).body("myReactions", empty());
    }
}
