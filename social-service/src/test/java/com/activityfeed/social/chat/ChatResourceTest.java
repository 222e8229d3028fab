package com.activityfeed.social.chat;

import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.Fixtures;
import com.activityfeed.testsupport.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.activityfeed.social.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "social"))
class ChatResourceTest {
    private static final String THREADS = "/api/v1/chat/threads";
    private static final String THREAD = "/api/v1/chat/threads/{id}";
    private static final String MESSAGES = "/api/v1/chat/threads/{id}/messages";

    @Test
    void aThreadGetsTheDefaultTitleTitlesAreAtMost120AndCanBeRenamed() {
        String tenant = Fixtures.tenant();
        as(tenant, "grace").post(THREADS).then().statusCode(201).body("title", equalTo("New thread"))
                .body("tileId", nullValue()).body("createdAt", notNullValue()).body("updatedAt", notNullValue());
        as(tenant, "grace").body(Map.of("title", "   ")).post(THREADS).then().statusCode(201)
                .body("title", equalTo("New thread"));
        as(tenant, "grace").body(Map.of("title", "t".repeat(121))).post(THREADS).then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("errors[0].field", equalTo("title"));
        String id = as(tenant, "grace").body(Map.of("title", "t".repeat(120))).post(THREADS).then().statusCode(201)
                .extract().path("id");
        as(tenant, "grace").body(Map.of("title", " Sprint retro ")).patch(THREAD, id).then().statusCode(200)
                .body("title", equalTo("Sprint retro")).body("id", equalTo(id));
        as(tenant, "grace").body(Map.of("title", "")).patch(THREAD, id).then().statusCode(400);
        as(tenant, "grace").body(Map.of("title", "x".repeat(121))).patch(THREAD, id).then().statusCode(400);
        as(tenant, "grace").body(Map.of("title", 7)).patch(THREAD, id).then().statusCode(400);

        List<String> titles = as(tenant, "linus").get(THREADS).then().statusCode(200).extract().jsonPath()
                .getList("items.title", String.class);
        assertThat(titles).containsExactly("Main", "New thread", "New thread", "Sprint retro");
    }

    @Test
    void aThreadMayDiscussAKnownTileOfTheTenantOnly() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        as(tenant, "grace").body(Map.of("tileId", tile.toString())).post(THREADS).then().statusCode(201)
                .body("tileId", equalTo(tile.toString()));
        UUID foreign = Fixtures.tile("x" + tenant, "ada");
        as(tenant, "grace").body(Map.of("tileId", foreign.toString())).post(THREADS).then().statusCode(404);
        as(tenant, "grace").body(Map.of("tileId", "nope")).post(THREADS).then().statusCode(404);
    }

    @Test
    void messagesArePagedOldestFirstAndBodiesAreAtMost2000Characters() {
        String tenant = Fixtures.tenant();
        String thread = as(tenant, "grace").post(THREADS).then().statusCode(201).extract().path("id");
        as(tenant, "grace").body(Map.of("body", "m".repeat(2000))).post(MESSAGES, thread).then().statusCode(201)
                .body("threadId", equalTo(thread)).body("authorId", equalTo("grace"))
                .body("authorName", equalTo("Grace"));
        as(tenant, "grace").body(Map.of("body", "m".repeat(2001))).post(MESSAGES, thread).then().statusCode(400);
        as(tenant, "grace").body(Map.of("body", " \n ")).post(MESSAGES, thread).then().statusCode(400);
        for (int i = 0; i < 3; i++) {
            as(tenant, "linus").body(Map.of("body", "hello " + i)).post(MESSAGES, thread).then().statusCode(201);
        }
        JsonPath first = as(tenant, "ada").queryParam("limit", 3).get(MESSAGES, thread).then().statusCode(200)
                .extract().jsonPath();
        assertThat(first.getList("items.body", String.class)).containsExactly("m".repeat(2000), "hello 0", "hello 1");
        as(tenant, "ada").queryParam("limit", 3).queryParam("cursor", first.getString("nextCursor"))
                .get(MESSAGES, thread).then().statusCode(200)
                .body("items.body", contains("hello 2")).body("nextCursor", nullValue());
        as(tenant, "ada").get(MESSAGES, UUID.randomUUID()).then().statusCode(404);
        as(tenant, "ada").body(Map.of("body", "hi")).post(MESSAGES, UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void messagesWithoutAThreadLandInMainWhichCannotBeDeleted() {
        String tenant = Fixtures.tenant();
        String mainId = as(tenant, "grace").body(Map.of("body", "hi all")).post("/api/v1/chat/messages")
                .then().statusCode(201).extract().path("threadId");
        as(tenant, "linus").body(Map.of("body", "hi grace")).post("/api/v1/chat/messages")
                .then().statusCode(201).body("threadId", equalTo(mainId));
        as(tenant, "linus").get(THREADS).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].title", equalTo("Main")).body("items[0].id", equalTo(mainId));
        as(tenant, "linus").get(MESSAGES, mainId).then().statusCode(200).body("items.body", contains("hi all", "hi grace"));
        as(tenant, "linus").get("/api/v1/chat/messages").then().statusCode(200).body("items.body", contains("hi all", "hi grace"));
        as(tenant, "grace").delete(THREAD, mainId).then().statusCode(409)
                .contentType(startsWith("application/problem+json"));
        as(tenant, "grace").get(MESSAGES, mainId).then().statusCode(200).body("items", hasSize(2));
    }

    @Test
    void aDeletedThreadsMessagesStayReadableAsUnthreaded() {
        String tenant = Fixtures.tenant();
        String thread = as(tenant, "grace").body(Map.of("title", "Doomed")).post(THREADS).then().statusCode(201)
                .extract().path("id");
        String message = as(tenant, "grace").body(Map.of("body", "keep me")).post(MESSAGES, thread)
                .then().statusCode(201).extract().path("id");
        as(tenant, "grace").get("/api/v1/chat/messages?unthreaded=true").then().statusCode(200).body("items", hasSize(0));
        as(tenant, "grace").delete(THREAD, thread).then().statusCode(204);
        as(tenant, "grace").delete(THREAD, thread).then().statusCode(404);
        as(tenant, "grace").get(MESSAGES, thread).then().statusCode(404);
        as(tenant, "grace").get("/api/v1/chat/messages?unthreaded=true").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].id", equalTo(message))
                .body("items[0].body", equalTo("keep me")).body("items[0].threadId", nullValue());

        List<SocialUpdate> updates = Fixtures.updates(tenant, u -> u.size() >= 4);
        assertThat(updates).extracting(SocialUpdate::kind).containsExactly(SocialUpdate.Kind.THREAD_CREATED,
                SocialUpdate.Kind.THREAD_CREATED, SocialUpdate.Kind.MESSAGE_CREATED, SocialUpdate.Kind.THREAD_DELETED);
        assertThat(updates.get(0).thread().title()).isEqualTo("Main");
        assertThat(updates.get(3).thread().title()).isEqualTo("Doomed");
    }
}
