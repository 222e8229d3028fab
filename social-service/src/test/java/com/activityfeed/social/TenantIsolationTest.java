package com.activityfeed.social;

import com.activityfeed.testsupport.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static com.activityfeed.social.Fixtures.as;
import static com.activityfeed.social.Fixtures.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

/** Every social endpoint called with another tenant's ids: 404, a problem document, and nothing changed. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "social"))
class TenantIsolationTest {

    @Test
    void anotherTenantsTilesCommentsThreadsAndMessagesAreNotFound() throws Exception {
        String owner = Fixtures.tenant();
        String intruder = "x" + owner;
        UUID tile = Fixtures.tile(owner, "ada");
        as(owner, "grace").put("/api/v1/tiles/{t}/reactions/hype", tile).then().statusCode(200);
        String comment = as(owner, "grace").body(Map.of("body", "mine")).post("/api/v1/tiles/{t}/comments", tile)
                .then().statusCode(201).extract().path("id");
        String thread = as(owner, "grace").body(Map.of("title", "Ours")).post("/api/v1/chat/threads")
                .then().statusCode(201).extract().path("id");
        as(owner, "grace").body(Map.of("body", "secret")).post("/api/v1/chat/threads/{id}/messages", thread)
                .then().statusCode(201);
        long before = state();

        Map<String, Function<RequestSpecification, Response>> calls = new LinkedHashMap<>();
        calls.put("PUT reaction", r -> r.put("/api/v1/tiles/{t}/reactions/respect", tile));
        calls.put("DELETE reaction", r -> r.delete("/api/v1/tiles/{t}/reactions/hype", tile));
        calls.put("GET comments", r -> r.get("/api/v1/tiles/{t}/comments", tile));
        calls.put("POST comment", r -> r.body(Map.of("body", "intrusion")).post("/api/v1/tiles/{t}/comments", tile));
        calls.put("DELETE comment", r -> r.delete("/api/v1/tiles/{t}/comments/{c}", tile, comment));
        calls.put("POST thread on tile", r -> r.body(Map.of("tileId", tile.toString())).post("/api/v1/chat/threads"));
        calls.put("PATCH thread", r -> r.body(Map.of("title", "Theirs")).patch("/api/v1/chat/threads/{id}", thread));
        calls.put("DELETE thread", r -> r.delete("/api/v1/chat/threads/{id}", thread));
        calls.put("GET messages", r -> r.get("/api/v1/chat/threads/{id}/messages", thread));
        calls.put("POST message", r -> r.body(Map.of("body", "intrusion")).post("/api/v1/chat/threads/{id}/messages", thread));

        for (Map.Entry<String, Function<RequestSpecification, Response>> call : calls.entrySet()) {
            for (RequestSpecification who : new RequestSpecification[]{as(intruder, "mallory"), asAdmin(intruder)}) {
                Response response = call.getValue().apply(who);
                assertThat(response.statusCode()).as(call.getKey()).isEqualTo(404);
                assertThat(response.contentType()).as(call.getKey()).startsWith("application/problem+json");
                assertThat(response.asString()).as(call.getKey()).doesNotContain("secret", "mine", "Ours");
            }
        }
        // The intruder's own lists show nothing of the owner's.
        assertThat(as(intruder, "mallory").get("/api/v1/chat/threads").asString()).doesNotContain("Ours", thread);
        assertThat(as(intruder, "mallory").get("/api/v1/chat/messages").asString()).doesNotContain("secret");
        assertThat(as(intruder, "mallory").get("/api/v1/chat/messages?unthreaded=true").asString()).doesNotContain("secret");

        assertThat(state()).isEqualTo(before);
        as(owner, "grace").get("/api/v1/chat/threads/{id}/messages", thread).then().statusCode(200);
        as(owner, "grace").put("/api/v1/tiles/{t}/reactions/hype", tile).then().statusCode(200)
                .body("counts.hype", org.hamcrest.Matchers.equalTo(1));
    }

    /** A fingerprint of everything the owner's data consists of. */
    private static long state() throws Exception {
        return Fixtures.count("""
                SELECT (SELECT count(*) FROM reaction) * 1000000 + (SELECT count(*) FROM comment WHERE deleted_at IS NULL) * 10000
                     + (SELECT count(*) FROM chat_thread WHERE title <> 'Main') * 100 + (SELECT count(*) FROM chat_message)
                     + (SELECT count(*) FROM chat_thread WHERE title = 'Theirs')""");
    }
}
