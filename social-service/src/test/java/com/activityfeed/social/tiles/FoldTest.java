package com.activityfeed.social.tiles;

import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.TileRef;
import com.activityfeed.messages.Topics;
import com.activityfeed.social.Fixtures;
import com.activityfeed.testsupport.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.activityfeed.social.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

/** Folds announced on feed.changes move reactions and comments to the group; folded ids keep working. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "social"))
class FoldTest {
    private static final String REACTIONS = "/api/v1/tiles/{tileId}/reactions/{type}";
    private static final String COMMENTS = "/api/v1/tiles/{tileId}/comments";

    @Test
    void foldedTilesReactionsMergeOnePerUserAndTypeAndCommentsFollow() throws Exception {
        String tenant = Fixtures.tenant();
        UUID a = Fixtures.tile(tenant, "ada");
        UUID b = Fixtures.tile(tenant, "ada");
        as(tenant, "grace").put(REACTIONS, a, "hype").then().statusCode(200);
        as(tenant, "grace").put(REACTIONS, b, "hype").then().statusCode(200);
        as(tenant, "grace").put(REACTIONS, b, "respect").then().statusCode(200);
        as(tenant, "linus").put(REACTIONS, a, "hype").then().statusCode(200);
        as(tenant, "grace").body(Map.of("body", "on a")).post(COMMENTS, a).then().statusCode(201);
        as(tenant, "linus").body(Map.of("body", "on b")).post(COMMENTS, b).then().statusCode(201);

        UUID group = Fixtures.fold(tenant, List.of(a, b), List.of("ada"));

        // Repeating grace's hype through a folded id: it exists on the group, so nothing new.
        as(tenant, "grace").put(REACTIONS, a, "hype").then().statusCode(200)
                .body("tileId", equalTo(group.toString()))
                .body("counts.hype", equalTo(2)).body("counts.respect", equalTo(1))
                .body("myReactions", contains("hype", "respect"));
        as(tenant, "grace").get(COMMENTS, b).then().statusCode(200)
                .body("items.body", contains("on a", "on b"))
                .body("items.tileId", contains(group.toString(), group.toString()));
        as(tenant, "grace").body(Map.of("body", "on the group via b")).post(COMMENTS, b).then().statusCode(201)
                .body("tileId", equalTo(group.toString()));
        as(tenant, "grace").get(COMMENTS, group).then().statusCode(200)
                .body("items.body", containsInAnyOrder("on a", "on b", "on the group via b"));
        assertThat(Fixtures.count("SELECT count(*) FROM reaction WHERE tile_id IN (?, ?)", a, b)).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM reaction WHERE tile_id = ?", group)).isEqualTo(3);
        // The group's actor may not react through a folded id either.
        as(tenant, "ada").put(REACTIONS, b, "tribute").then().statusCode(403);
    }

    @Test
    void anUpdateRefreshesATilesActorsAndAnotherTenantsAnnouncementOfItsIdChangesNothing() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        as(tenant, "grace").put(REACTIONS, tile, "hype").then().statusCode(200);
        // grace joins the tile's actors: her own tile now, so she may not react to it
        Fixtures.announce(tenant, FeedEvents.TILE_UPDATED, tile, new TileRef(tile, "single", List.of("ada", "grace")), null);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                as(tenant, "grace").put(REACTIONS, tile, "respect").statusCode() == 403);
        // the same id announced by another tenant: the row stays the first tenant's, actors unchanged
        String other = Fixtures.tenant();
        Fixtures.announce(other, FeedEvents.TILE_UPDATED, tile, new TileRef(tile, "single", List.of("linus")), null);
        Fixtures.tile(other, "linus"); // same key, announced after: once it is known, the update was applied
        as(other, "grace").put(REACTIONS, tile, "hype").then().statusCode(404);
        as(tenant, "linus").put(REACTIONS, tile, "hype").then().statusCode(200);
        as(tenant, "grace").put(REACTIONS, tile, "tribute").then().statusCode(403);
    }

    @Test
    void changesThatArriveTogetherAreAppliedInOrderWhateverTheyDoToTheSameTiles() throws Exception {
        // sent without waiting, so the consumer takes them in one poll or a few: one transaction each
        String tenant = Fixtures.tenant();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID group = UUID.randomUUID();
        List<String> changes = new ArrayList<>();
        changes.add(Fixtures.change(tenant, FeedEvents.TILE_CREATED, a, new TileRef(a, "single", List.of("ada")), null));
        changes.add(Fixtures.change(tenant, FeedEvents.TILE_CREATED, b, new TileRef(b, "single", List.of("ada")), null));
        changes.add(Fixtures.change(tenant, FeedEvents.TILE_FOLDED, group, new TileRef(group, "group", List.of("ada")), List.of(a, b)));
        changes.add(Fixtures.change(tenant, FeedEvents.TILE_UPDATED, group,
                new TileRef(group, "group", List.of("ada", "grace")), null));
        List<UUID> singles = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            UUID id = UUID.randomUUID();
            singles.add(id);
            changes.add(Fixtures.change(tenant, FeedEvents.TILE_CREATED, id, new TileRef(id, "single", List.of("linus")), null));
        }
        UUID last = singles.getLast();
        changes.add(Fixtures.change(tenant, FeedEvents.TILE_REMOVED, last, new TileRef(last, "single", List.of("linus")), null));
        Fixtures.sendAll(Topics.FEED_CHANGES, tenant, changes);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                Fixtures.count("SELECT count(*) FROM tile WHERE tenant_id = ? AND removed", tenant) == 1);
        assertThat(Fixtures.count("SELECT count(*) FROM tile WHERE tenant_id = ?", tenant)).isEqualTo(303);
        assertThat(Fixtures.aliasOf(a)).isEqualTo(group);
        assertThat(Fixtures.aliasOf(b)).isEqualTo(group);
        // the group's update after the fold holds: grace is one of its actors now
        as(tenant, "grace").put(REACTIONS, a, "hype").then().statusCode(403);
        as(tenant, "linus").put(REACTIONS, b, "hype").then().statusCode(200).body("tileId", equalTo(group.toString()));
        as(tenant, "grace").put(REACTIONS, singles.getFirst(), "hype").then().statusCode(200);
        as(tenant, "grace").put(REACTIONS, last, "hype").then().statusCode(404);
    }

    @Test
    void anExpiredTileIsNoLongerATarget() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        Fixtures.announce(tenant, FeedEvents.TILE_REMOVED, tile, new TileRef(tile, "single", List.of("ada")), null);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                as(tenant, "grace").put(REACTIONS, tile, "hype").statusCode() == 404);
        as(tenant, "grace").get(COMMENTS, tile).then().statusCode(404);
    }
}
