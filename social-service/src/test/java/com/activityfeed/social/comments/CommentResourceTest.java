package com.activityfeed.social.comments;

import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.Fixtures;
import com.activityfeed.testsupport.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.activityfeed.social.Fixtures.as;
import static com.activityfeed.social.Fixtures.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "social"))
class CommentResourceTest {
    private static final String COMMENTS = "/api/v1/tiles/{tileId}/comments";

    @Test
    void aCommentOf500CharactersIsAcceptedAnd501IsRefusedAfterTrimming() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        String max = "é".repeat(500);
        as(tenant, "grace").body(Map.of("body", "  \n" + max + "\t ")).post(COMMENTS, tile).then().statusCode(201)
                .header("Location", notNullValue())
                .body("body", equalTo(max)).body("tileId", equalTo(tile.toString()))
                .body("authorId", equalTo("grace")).body("authorName", equalTo("Grace"))
                .body("id", notNullValue()).body("createdAt", notNullValue());
        as(tenant, "grace").body(Map.of("body", max + "x")).post(COMMENTS, tile).then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("errors[0].field", equalTo("body"));
        // Emoji count as one character each.
        as(tenant, "grace").body(Map.of("body", "🎉".repeat(500))).post(COMMENTS, tile).then().statusCode(201);
    }

    @Test
    void emptyWhitespaceOnlyMissingOrMistypedBodiesAreRefused() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        as(tenant, "grace").body(Map.of("body", "")).post(COMMENTS, tile).then().statusCode(400);
        as(tenant, "grace").body(Map.of("body", " \t\n\u0007 ")).post(COMMENTS, tile).then().statusCode(400);
        as(tenant, "grace").body("{}").post(COMMENTS, tile).then().statusCode(400);
        as(tenant, "grace").body("{\"body\":42}").post(COMMENTS, tile).then().statusCode(400);
        as(tenant, "grace").body("{\"body\":\"hi\",\"extra\":1}").post(COMMENTS, tile).then().statusCode(400)
                .body("errors[0].field", equalTo("extra"));
        as(tenant, "grace").body("[1,2]").post(COMMENTS, tile).then().statusCode(400);
        as(tenant, "grace").body("{not json").post(COMMENTS, tile).then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
        as(tenant, "grace").contentType("text/plain").body("hi").post(COMMENTS, tile).then().statusCode(415)
                .contentType(startsWith("application/problem+json"));
        as(tenant, "grace").get(COMMENTS, tile).then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void controlCharactersAreStrippedAndMarkupIsKeptAsPlainText() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        as(tenant, "grace").body(Map.of("body", "nice\u0000 <b>work</b>\u001b\r\nreally")).post(COMMENTS, tile)
                .then().statusCode(201).body("body", equalTo("nice <b>work</b>\nreally"));
    }

    @Test
    void commentsAreListedOldestFirstInCursorPagesAndDeletedOnesDisappear() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(as(tenant, i % 2 == 0 ? "grace" : "linus").body(Map.of("body", "comment " + i))
                    .post(COMMENTS, tile).then().statusCode(201).extract().path("id"));
        }
        JsonPath first = as(tenant, "ada").queryParam("limit", 2).get(COMMENTS, tile).then().statusCode(200)
                .extract().jsonPath();
        assertThat(first.getList("items.body", String.class)).containsExactly("comment 0", "comment 1");
        assertThat(first.getList("items.authorName", String.class)).containsExactly("Grace", "Linus");
        JsonPath second = as(tenant, "ada").queryParam("limit", 2).queryParam("cursor", first.getString("nextCursor"))
                .get(COMMENTS, tile).then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("items.body", String.class)).containsExactly("comment 2", "comment 3");
        JsonPath third = as(tenant, "ada").queryParam("limit", 2).queryParam("cursor", second.getString("nextCursor"))
                .get(COMMENTS, tile).then().statusCode(200).extract().jsonPath();
        assertThat(third.getList("items.body", String.class)).containsExactly("comment 4");
        assertThat(third.getString("nextCursor")).isNull();

        as(tenant, "ada").queryParam("limit", 101).get(COMMENTS, tile).then().statusCode(400);
        as(tenant, "ada").queryParam("limit", 0).get(COMMENTS, tile).then().statusCode(400);
        as(tenant, "ada").queryParam("limit", 100).get(COMMENTS, tile).then().statusCode(200).body("nextCursor", nullValue());
        as(tenant, "ada").queryParam("cursor", "garbage!").get(COMMENTS, tile).then().statusCode(400);

        as(tenant, "grace").delete(COMMENTS + "/{id}", tile, ids.get(2)).then().statusCode(204);
        as(tenant, "grace").delete(COMMENTS + "/{id}", tile, ids.get(2)).then().statusCode(404);
        as(tenant, "ada").get(COMMENTS, tile).then().statusCode(200)
                .body("items.body", org.hamcrest.Matchers.contains("comment 0", "comment 1", "comment 3", "comment 4"));
    }

    @Test
    void onlyTheAuthorOrAnAdminMayDeleteAndCountsStayExact() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        String graces = as(tenant, "grace").body(Map.of("body", "mine")).post(COMMENTS, tile).then().statusCode(201)
                .extract().path("id");
        String linuses = as(tenant, "linus").body(Map.of("body", "his")).post(COMMENTS, tile).then().statusCode(201)
                .extract().path("id");
        as(tenant, "linus").delete(COMMENTS + "/{id}", tile, graces).then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
        as(tenant, "ada").delete(COMMENTS + "/{id}", tile, graces).then().statusCode(403);
        asAdmin(tenant).delete(COMMENTS + "/{id}", tile, linuses).then().statusCode(204);
        as(tenant, "grace").delete(COMMENTS + "/{id}", tile, graces).then().statusCode(204);
        as(tenant, "grace").delete(COMMENTS + "/{id}", tile, "not-a-uuid").then().statusCode(404);
        as(tenant, "grace").delete(COMMENTS + "/{id}", tile, UUID.randomUUID()).then().statusCode(404);

        List<SocialUpdate> updates = Fixtures.updates(tenant, u -> u.size() >= 4);
        assertThat(updates).extracting(SocialUpdate::kind).containsExactly(SocialUpdate.Kind.COMMENT_CREATED,
                SocialUpdate.Kind.COMMENT_CREATED, SocialUpdate.Kind.COMMENT_DELETED, SocialUpdate.Kind.COMMENT_DELETED);
        assertThat(updates).extracting(u -> u.comment().commentCount()).containsExactly(1L, 2L, 1L, 0L);
        assertThat(updates.get(0).comment().comment().body()).isEqualTo("mine");
        assertThat(updates.get(2).comment().comment().id().toString()).isEqualTo(linuses);
    }
}
