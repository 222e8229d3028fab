package com.activityfeed.social.erasure;

import com.activityfeed.messages.ErasureRequest;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.Fixtures;
import com.activityfeed.testsupport.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.activityfeed.social.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * social-service's part of an erasure over the real database and the real {@code social.updates}:
 * the person's rows go, the counts they changed are announced naming the erased actor, a folded
 * single they acted gets the erased actor, other people's rows and other tenants stay, and doing
 * it twice changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "social"))
class SocialEraserTest {
    private static final String REACTIONS = "/api/v1/tiles/{tileId}/reactions/{type}";
    private static final String COMMENTS = "/api/v1/tiles/{tileId}/comments";

    private final SocialEraser eraser;

    SocialEraserTest(SocialEraser eraser) {
        this.eraser = eraser;
    }

    @Test
    void aUsersRowsGoTheirCountsAreAnnouncedAsErasedAndOthersStay() throws Exception {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        as(tenant, "grace").put(REACTIONS, tile, "hype").then().statusCode(200);
        as(tenant, "grace").put(REACTIONS, tile, "respect").then().statusCode(200);
        as(tenant, "linus").put(REACTIONS, tile, "hype").then().statusCode(200);
        String shown = as(tenant, "grace").body(Map.of("body", "shown")).post(COMMENTS, tile).then().statusCode(201)
                .extract().path("id");
        String hidden = as(tenant, "grace").body(Map.of("body", "taken back")).post(COMMENTS, tile).then()
                .statusCode(201).extract().path("id");
        as(tenant, "grace").delete(COMMENTS + "/{id}", tile, hidden).then().statusCode(204);
        as(tenant, "linus").body(Map.of("body", "stays")).post(COMMENTS, tile).then().statusCode(201);
        as(tenant, "grace").body(Map.of("body", "hello")).post("/api/v1/chat/messages").then().statusCode(201);
        as(tenant, "linus").body(Map.of("body", "hi")).post("/api/v1/chat/messages").then().statusCode(201);
        // a single by grace folded into ada's group: never announced again, so erasure rewrites it here
        UUID single = Fixtures.tile(tenant, "grace");
        Fixtures.fold(tenant, List.of(single), List.of("ada"));
        String other = Fixtures.tenant();
        UUID otherTile = Fixtures.tile(other, "ada");
        as(other, "grace").put(REACTIONS, otherTile, "hype").then().statusCode(200);

        ErasureRequest request = new ErasureRequest(ErasureRequest.VERSION, UUID.randomUUID(), tenant,
                ErasureRequest.USER, "grace", Instant.now());
        eraser.apply(request);

        assertThat(Fixtures.count("SELECT count(*) FROM reaction WHERE tenant_id = ? AND user_id = 'grace'", tenant)).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM comment WHERE tenant_id = ? AND author_id = 'grace'", tenant)).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM chat_message WHERE tenant_id = ? AND author_id = 'grace'", tenant)).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM reaction_grant WHERE tenant_id = ? AND user_id = 'grace'", tenant)).isZero();
        assertThat(Fixtures.count("SELECT count(*) FROM tile WHERE id = ? AND actor_ids = '{erased}'", single)).isEqualTo(1);
        assertThat(Fixtures.count("SELECT count(*) FROM reaction WHERE tenant_id = ? AND user_id = 'linus'", tenant)).isEqualTo(1);
        assertThat(Fixtures.count("SELECT count(*) FROM comment WHERE tenant_id = ? AND author_id = 'linus'", tenant)).isEqualTo(1);
        assertThat(Fixtures.count("SELECT count(*) FROM chat_message WHERE tenant_id = ? AND author_id = 'linus'", tenant)).isEqualTo(1);
        assertThat(Fixtures.count("SELECT count(*) FROM reaction WHERE tenant_id = ? AND user_id = 'grace'", other)).isEqualTo(1);
        assertThat(Fixtures.count("SELECT count(*) FROM erasure_applied WHERE id = ?", request.id())).isEqualTo(1);

        List<SocialUpdate> updates = Fixtures.updates(tenant, u -> u.stream().filter(SocialEraserTest::erased).count() >= 3);
        List<SocialUpdate> erased = updates.stream().filter(SocialEraserTest::erased).toList();
        assertThat(erased).hasSize(3);
        assertThat(erased.stream().filter(u -> u.kind() == SocialUpdate.Kind.REACTION_UPDATED)
                .map(u -> u.reaction().reactionType())).containsExactlyInAnyOrder("hype", "respect");
        assertThat(erased.stream().filter(u -> u.kind() == SocialUpdate.Kind.REACTION_UPDATED))
                .allSatisfy(u -> {
                    assertThat(u.reaction().counts().hype()).isEqualTo(1);
                    assertThat(u.reaction().counts().respect()).isZero();
                    assertThat(u.reaction().action()).isEqualTo(SocialUpdate.Reaction.REMOVED);
                });
        // only the visible comment is announced (the taken-back one was already), with the new count
        SocialUpdate deleted = erased.stream().filter(u -> u.kind() == SocialUpdate.Kind.COMMENT_DELETED)
                .findFirst().orElseThrow();
        assertThat(deleted.comment().comment().id()).hasToString(shown);
        assertThat(deleted.comment().comment().authorName()).isEqualTo(SocialEraser.ERASED_NAME);
        assertThat(deleted.comment().comment().body()).isEmpty();
        assertThat(deleted.comment().commentCount()).isEqualTo(1);

        // again: nothing left to erase, nothing announced (the update after it is linus's), one record of the request
        eraser.apply(request);
        as(tenant, "linus").put(REACTIONS, tile, "tribute").then().statusCode(200);
        List<SocialUpdate> after = Fixtures.updates(tenant, u -> u.stream().anyMatch(x -> x.reaction() != null
                && "tribute".equals(x.reaction().reactionType())));
        assertThat(after.stream().filter(SocialEraserTest::erased)).hasSize(3);
        assertThat(Fixtures.count("SELECT count(*) FROM erasure_applied WHERE id = ?", request.id())).isEqualTo(1);
    }

    @Test
    void aWholeTenantsRowsGoFromEveryTableAndOtherTenantsStay() throws Exception {
        String tenant = Fixtures.tenant();
        String other = Fixtures.tenant();
        for (String t : List.of(tenant, other)) {
            UUID tile = Fixtures.tile(t, "ada");
            as(t, "grace").put(REACTIONS, tile, "hype").then().statusCode(200);
            as(t, "grace").body(Map.of("body", "nice")).post(COMMENTS, tile).then().statusCode(201);
            as(t, "grace").body(Map.of("title", "plans")).post("/api/v1/chat/threads").then().statusCode(201);
            as(t, "grace").body(Map.of("body", "hello")).post("/api/v1/chat/messages").then().statusCode(201);
        }

        eraser.apply(new ErasureRequest(ErasureRequest.VERSION, UUID.randomUUID(), tenant, ErasureRequest.TENANT,
                null, Instant.now()));

        for (String table : List.of("tile", "reaction", "reaction_grant", "comment", "chat_thread", "chat_message", "outbox")) {
            assertThat(Fixtures.count("SELECT count(*) FROM " + table + " WHERE tenant_id = ?", tenant)).as(table).isZero();
        }
        for (String table : List.of("tile", "reaction", "reaction_grant", "comment", "chat_message")) {
            assertThat(Fixtures.count("SELECT count(*) FROM " + table + " WHERE tenant_id = ?", other)).as(table).isEqualTo(1);
        }
        assertThat(Fixtures.count("SELECT count(*) FROM chat_thread WHERE tenant_id = ?", other)).isEqualTo(2);
    }

    private static boolean erased(SocialUpdate u) {
        return (u.reaction() != null && SocialEraser.ERASED_ID.equals(u.reaction().actorId()))
                || (u.comment() != null && SocialEraser.ERASED_ID.equals(u.comment().comment().authorId()));
    }
}
