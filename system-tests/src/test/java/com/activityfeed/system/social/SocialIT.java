package com.activityfeed.system.social;

import com.activityfeed.messages.FeedEvents;
import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.PostgresServer;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reactions, comments and chat over the packaged services, the real broker and both databases:
 * social learns the tile from feed.changes, publishes through its outbox, and the feed folds the
 * updates into its tile and relays them on its change log (the SSE stream's source).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SocialIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    @Test
    @Order(1)
    void aReadersReactionAndCommentOnAnotherUsersTileReachTheFeed() throws Exception {
        String tenant = "social-" + UUID.randomUUID().toString().substring(0, 8);
        String tile = postEvent(tenant, "ada");
        try (SseClient stream = SseClient.to(system.feed.url("/api/v1/feed/stream")).bearer(reader(tenant, "linus"))
                .connect()) {
            assertThat(stream.status()).isEqualTo(200);
            stream.awaitEvent(FeedEvents.CONNECTED, Duration.ofSeconds(10));
            reactAndComment(tenant, tile, stream);
        }
    }

    private void reactAndComment(String tenant, String tile, SseClient stream) throws Exception {
        // social learns the tile from feed.changes; a request racing that waits up to 1 s, then 404.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                send("PUT", system.social, "/api/v1/tiles/" + tile + "/reactions/hype", reader(tenant, "grace"), null)
                        .statusCode() != 404);
        HttpResponse<String> again = send("PUT", system.social, "/api/v1/tiles/" + tile + "/reactions/hype",
                reader(tenant, "grace"), null);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode state = JSON.readTree(again.body());
        assertThat(state.path("counts").path("hype").asLong()).isEqualTo(1);
        assertThat(state.path("myReactions").toString()).isEqualTo("[\"hype\"]");

        HttpResponse<String> own = send("PUT", system.social, "/api/v1/tiles/" + tile + "/reactions/respect",
                reader(tenant, "ada"), null);
        assertThat(own.statusCode()).isEqualTo(403);

        HttpResponse<String> comment = send("POST", system.social, "/api/v1/tiles/" + tile + "/comments",
                reader(tenant, "grace"), "{\"body\":\"  Well deserved!  \"}");
        assertThat(comment.statusCode()).as(comment.body()).isEqualTo(201);
        String commentId = JSON.readTree(comment.body()).path("id").asText();

        await().atMost(Duration.ofSeconds(30)).until(() -> changes(tenant).size() >= 3);
        List<JsonNode> changes = changes(tenant);
        assertThat(changes).extracting(c -> c.path("event").asText())
                .containsExactly("activity.event.created", "activity.reaction.updated", "activity.comment.created");
        assertThat(changes).extracting(c -> c.path("seq").asLong()).containsExactly(1L, 2L, 3L);
        JsonNode reaction = changes.get(1).path("data");
        assertThat(reaction.path("tileId").asText()).isEqualTo(tile);
        assertThat(reaction.path("counts").path("hype").asLong()).isEqualTo(1);
        assertThat(reaction.path("actorId").asText()).isEqualTo("grace");
        assertThat(reaction.path("reactionType").asText()).isEqualTo("hype");
        assertThat(reaction.path("action").asText()).isEqualTo("added");
        JsonNode created = changes.get(2).path("data");
        assertThat(created.path("tileId").asText()).isEqualTo(tile);
        assertThat(created.path("comment").path("id").asText()).isEqualTo(commentId);
        assertThat(created.path("comment").path("body").asText()).isEqualTo("Well deserved!");
        assertThat(created.path("comment").path("authorName").asText()).isEqualTo("Grace");
        assertThat(tileSocial(tile)).containsExactly(1L, 0L, 0L, 1L, 3L);
        assertThat(feedReactions(tile, "grace")).containsExactly("hype");

        // The feed's own tile answers the new counts, and the reader's own reactions.
        JsonNode asGrace = tile(tenant, tile, "grace");
        assertThat(asGrace.path("reactions").path("hype").asLong()).isEqualTo(1);
        assertThat(asGrace.path("commentCount").asLong()).isEqualTo(1);
        assertThat(asGrace.path("myReactions").toString()).isEqualTo("[\"hype\"]");
        assertThat(asGrace.path("seq").asLong()).isEqualTo(3);
        assertThat(tile(tenant, tile, "linus").path("myReactions").toString()).isEqualTo("[]");

        // Reader B's live stream gets both, with their change numbers as ids.
        SseClient.Event live = stream.awaitEvent(FeedEvents.REACTION_UPDATED, Duration.ofSeconds(10));
        assertThat(live.seq()).isEqualTo(2);
        JsonNode liveReaction = JSON.readTree(live.data());
        assertThat(liveReaction.path("tileId").asText()).isEqualTo(tile);
        assertThat(liveReaction.path("counts").path("hype").asLong()).isEqualTo(1);
        assertThat(liveReaction.path("actorId").asText()).isEqualTo("grace");
        SseClient.Event liveComment = stream.awaitEvent(FeedEvents.COMMENT_CREATED, Duration.ofSeconds(10));
        assertThat(liveComment.seq()).isEqualTo(3);
        assertThat(JSON.readTree(liveComment.data()).path("comment").path("body").asText()).isEqualTo("Well deserved!");
        assertThat(JSON.readTree(liveComment.data()).path("tileId").asText()).isEqualTo(tile);
    }

    @Test
    @Order(2)
    void aDeletedThreadLeavesItsMessagesReadableAsUnthreadedAndChatIsRelayed() throws Exception {
        String tenant = "chat-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> thread = send("POST", system.social, "/api/v1/chat/threads", reader(tenant, "grace"),
                "{\"title\":\"Launch plan\"}");
        assertThat(thread.statusCode()).as(thread.body()).isEqualTo(201);
        String threadId = JSON.readTree(thread.body()).path("id").asText();
        HttpResponse<String> message = send("POST", system.social, "/api/v1/chat/threads/" + threadId + "/messages",
                reader(tenant, "linus"), "{\"body\":\"ship it\"}");
        assertThat(message.statusCode()).as(message.body()).isEqualTo(201);
        assertThat(send("DELETE", system.social, "/api/v1/chat/threads/" + threadId, reader(tenant, "grace"), null)
                .statusCode()).isEqualTo(204);

        HttpResponse<String> unthreaded = send("GET", system.social, "/api/v1/chat/messages?unthreaded=true",
                reader(tenant, "ada"), null);
        JsonNode items = JSON.readTree(unthreaded.body()).path("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).path("body").asText()).isEqualTo("ship it");
        assertThat(items.get(0).path("threadId").isNull()).isTrue();

        await().atMost(Duration.ofSeconds(30)).until(() -> changes(tenant).size() >= 4);
        assertThat(changes(tenant)).extracting(c -> c.path("event").asText()).containsExactly(
                "chat.thread.created", "chat.thread.created", "chat.message.created", "chat.thread.deleted");
        assertThat(changes(tenant).get(2).path("data").path("body").asText()).isEqualTo("ship it");
    }

    /**
     * Three events of one type fold into a group: reactions made on the singles before the fold
     * merge on the group (one per user and type), and a reaction through a folded id lands there.
     */
    @Test
    @Order(3)
    void reactionsFollowAFoldAndAFoldedIdKeepsWorking() throws Exception {
        String tenant = "fold-" + UUID.randomUUID().toString().substring(0, 8);
        String first = postEvent(tenant, "ada", "normal");
        String second = postEvent(tenant, "ada", "normal");
        for (String single : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> send("PUT", system.social,
                    "/api/v1/tiles/" + single + "/reactions/hype", reader(tenant, "grace"), null).statusCode() == 200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> tile(tenant, first, "grace").path("reactions").path("hype").asLong() == 1
                && tile(tenant, second, "grace").path("reactions").path("hype").asLong() == 1);

        post(tenant, "linus", "normal");
        await().atMost(Duration.ofSeconds(30)).until(() -> "group".equals(tile(tenant, first, "grace").path("kind").asText()));
        String group = tile(tenant, first, "grace").path("id").asText();
        assertThat(group).isNotIn(first, second);
        JsonNode merged = tile(tenant, group, "grace");
        assertThat(merged.path("reactions").path("hype").asLong()).isEqualTo(1);
        assertThat(merged.path("myReactions").toString()).isEqualTo("[\"hype\"]");

        // social learns the fold from feed.changes; then a reaction through the folded id is the group's.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> r = send("PUT", system.social, "/api/v1/tiles/" + second + "/reactions/respect",
                    reader(tenant, "grace"), null);
            return r.statusCode() == 200 && JSON.readTree(r.body()).path("tileId").asText().equals(group);
        });
        HttpResponse<String> forbidden = send("PUT", system.social, "/api/v1/tiles/" + second + "/reactions/tribute",
                reader(tenant, "linus"), null);
        assertThat(forbidden.statusCode()).as("linus is an actor of the group").isEqualTo(403);
        await().atMost(Duration.ofSeconds(30)).until(() -> tile(tenant, group, "grace").path("reactions").path("respect").asLong() == 1);
        JsonNode after = tile(tenant, group, "grace");
        assertThat(after.path("reactions").path("hype").asLong()).isEqualTo(1);
        assertThat(after.path("myReactions").toString()).isEqualTo("[\"hype\",\"respect\"]");
    }

    /**
     * The broker is down when the reaction commits, so the send cannot happen; social-service is
     * then killed (SIGKILL) before it could ever send. After the broker and social come back, the
     * outbox delivers the update and the feed shows it.
     */
    @Test
    @Order(4)
    void aReactionCommittedWhileKafkaIsDownAndSocialIsKilledStillReachesTheFeed() throws Exception {
        String tenant = "outbox-" + UUID.randomUUID().toString().substring(0, 8);
        String tile = postEvent(tenant, "ada");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                send("PUT", system.social, "/api/v1/tiles/" + tile + "/reactions/tribute", reader(tenant, "grace"), null)
                        .statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> tileSocial(tile).equals(List.of(0L, 0L, 1L, 0L, 2L)));

        system.infra.kafka().stop();
        try {
            HttpResponse<String> reacted = send("PUT", system.social, "/api/v1/tiles/" + tile + "/reactions/respect",
                    reader(tenant, "linus"), null);
            assertThat(reacted.statusCode()).as(reacted.body()).isEqualTo(200);
            assertThat(JSON.readTree(reacted.body()).path("counts").path("respect").asLong()).isEqualTo(1);
            assertThat(outboxRows(tenant)).isEqualTo(1);
            system.social.kill();
        } finally {
            system.infra.kafka().start();
        }
        system.social.launch();

        await().atMost(Duration.ofSeconds(60)).until(() -> tileSocial(tile).equals(List.of(0L, 1L, 1L, 0L, 3L)));
        await().atMost(Duration.ofSeconds(10)).until(() -> outboxRows(tenant) == 0);
        List<JsonNode> changes = changes(tenant);
        assertThat(changes).extracting(c -> c.path("event").asText()).containsExactly(
                "activity.event.created", "activity.reaction.updated", "activity.reaction.updated");
        assertThat(changes.get(2).path("data").path("actorId").asText()).isEqualTo("linus");
        assertThat(feedReactions(tile, "linus")).containsExactly("respect");

        // The relaunched social joins its consumer groups only once the killed member's session has
        // expired (up to 45 s). Leave the shared system consuming feed.changes again, so the tests
        // that follow find new tiles known to social as usual.
        String probe = postEvent(tenant, "ada");
        await().atMost(Duration.ofSeconds(90)).until(() -> send("PUT", system.social,
                "/api/v1/tiles/" + probe + "/reactions/hype", reader(tenant, "grace"), null).statusCode() == 200);
    }

    private static String reader(String tenant, String user) {
        return TestTokens.reader(tenant, user);
    }

    /** Posts a high-priority (never grouped) event by {@code actor} and waits for its tile in the feed. */
    private static String postEvent(String tenant, String actor) throws Exception {
        return postEvent(tenant, actor, "high");
    }

    private static String postEvent(String tenant, String actor, String priority) throws Exception {
        String id = post(tenant, actor, priority);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> feed = send("GET", system.feed, "/api/v1/feed", reader(tenant, "grace"), null);
            return feed.statusCode() == 200 && JSON.readTree(feed.body()).path("items").findValuesAsText("id").contains(id);
        });
        return id;
    }

    private static String post(String tenant, String actor, String priority) throws Exception {
        HttpResponse<String> posted = send("POST", system.ingest, "/api/v1/events", TestTokens.ingest(tenant), """
                {"type":"badge_earned","priority":"%s","actor":{"id":"%s","name":"Ada"},
                 "entity":{"type":"badge","id":"b1","name":"Sprint Champion"}}""".formatted(priority, actor));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        return JSON.readTree(posted.body()).path("events").get(0).path("id").asText();
    }

    /** The feed's tile (a folded id answers its group) as {@code user} sees it. */
    private static JsonNode tile(String tenant, String id, String user) throws Exception {
        HttpResponse<String> response = send("GET", system.feed, "/api/v1/feed/tiles/" + id, reader(tenant, user), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String method, com.activityfeed.testsupport.infra.ServiceProcess service,
                                             String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url(path)))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Connection db(String name) throws SQLException {
        return DriverManager.getConnection(system.infra.jdbcUrl(name), PostgresServer.USER, "");
    }

    private static List<JsonNode> changes(String tenant) throws Exception {
        try (Connection c = db("feed");
             PreparedStatement ps = c.prepareStatement("SELECT message FROM change_log WHERE tenant_id = ? ORDER BY seq")) {
            ps.setString(1, tenant);
            List<JsonNode> changes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(JSON.readTree(rs.getString(1)));
                }
            }
            return changes;
        }
    }

    /** The feed's hype, respect, tribute, comment_count and last_seq for the tile. */
    private static List<Long> tileSocial(String tile) throws SQLException {
        try (Connection c = db("feed");
             PreparedStatement ps = c.prepareStatement(
                     "SELECT hype, respect, tribute, comment_count, last_seq FROM tile_social WHERE tile_id = ?::uuid")) {
            ps.setString(1, tile);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))
                        : List.of();
            }
        }
    }

    private static List<String> feedReactions(String tile, String user) throws SQLException {
        try (Connection c = db("feed");
             PreparedStatement ps = c.prepareStatement(
                     "SELECT type FROM tile_reaction WHERE tile_id = ?::uuid AND user_id = ? ORDER BY type")) {
            ps.setString(1, tile);
            ps.setString(2, user);
            List<String> types = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
            return types;
        }
    }

    private static long outboxRows(String tenant) throws SQLException {
        try (Connection c = db("social");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
