package com.activityfeed.system.observability;

import com.activityfeed.clients.feed.ApiClient;
import com.activityfeed.clients.feed.ApiException;
import com.activityfeed.clients.feed.api.FeedResourceApi;
import com.activityfeed.clients.feed.model.FeedPage;
import com.activityfeed.clients.feed.model.Tile;
import com.activityfeed.clients.feed.model.TileActor;
import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A Java client generated at build time from feed-service's own OpenAPI document (module
 * {@code api-clients}, openapi-generator's {@code native} library) reads a feed page from the
 * running feed-service and gets typed tiles: a group with its actors and counts, a single tile
 * with its payload, reaction counts as numbers, and problem answers as exceptions.
 */
class GeneratedClientIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TENANT = "client-" + UUID.randomUUID().toString().substring(0, 8);
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    @Test
    void theGeneratedClientReadsTypedTiles() throws Exception {
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(system.ingest.url("/api/v1/events")))
                .header("Authorization", "Bearer " + TestTokens.ingest(TENANT)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"events":[
                         {"type":"task_done","actor":{"id":"ada","name":"Ada"},"entity":{"type":"task","id":"t1"}},
                         {"type":"task_done","actor":{"id":"grace","name":"Grace"}},
                         {"type":"task_done","actor":{"id":"linus"}},
                         {"type":"badge_earned","priority":"high","actor":{"id":"ada","name":"Ada"},
                          "payload":{"points":50},"tags":["sprint:42"]}]}""")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

        ApiClient client = new ApiClient();
        client.updateBaseUri(system.feed.url(""));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + TestTokens.reader(TENANT, "linus")));
        FeedResourceApi feed = new FeedResourceApi(client);

        AtomicReference<FeedPage> seen = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            seen.set(feed.feedResourceFeed(null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null));
            return seen.get().getItems().size() == 2;
        });
        FeedPage page = seen.get();
        assertThat(page.getNextCursor()).isNull();
        List<Tile> tiles = page.getItems();
        Tile group = tiles.stream().filter(t -> t.getKind() == Tile.KindEnum.GROUP).findFirst().orElseThrow();
        assertThat(group.getCount()).isEqualTo(3);
        assertThat(group.getType()).isEqualTo("task_done");
        assertThat(group.getActors()).extracting(TileActor::getId).containsExactlyInAnyOrder("ada", "grace", "linus");
        assertThat(group.getSamples()).hasSize(3);
        assertThat(group.getReactions().getHype()).isZero();
        assertThat(group.getRead()).isFalse();

        Tile single = tiles.stream().filter(t -> t.getKind() == Tile.KindEnum.SINGLE).findFirst().orElseThrow();
        assertThat(single.getPriority()).isEqualTo(Tile.PriorityEnum.HIGH);
        assertThat(single.getTags()).containsExactly("sprint:42");
        assertThat(single.getPayload()).containsEntry("points", 50);

        Tile same = feed.feedResourceTile(single.getId().toString());
        assertThat(same.getId()).isEqualTo(single.getId());
        assertThat(same.getOccurredAt()).isEqualTo(single.getOccurredAt());

        assertThatThrownBy(() -> feed.feedResourceTile(UUID.randomUUID().toString()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getResponseBody()).contains("\"status\":404");
                });
    }
}
