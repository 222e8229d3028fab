package com.activityfeed.social.text;

import com.activityfeed.social.Fixtures;
import com.activityfeed.testsupport.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static com.activityfeed.social.Fixtures.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** SPEC §3: invalid UTF-8 in a body is a 400 in every service, never silently replaced. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "social"))
class StrictBodiesTest {
    /** {"body":"a?b"} with ? replaced by each bad sequence. */
    private static byte[] body(String field, byte... bad) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("{\"" + field + "\":\"a").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bad);
        out.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static final List<byte[]> BAD = List.of(
            new byte[]{(byte) 0xC0, (byte) 0xAF},                  // overlong '/'
            new byte[]{(byte) 0xE0, (byte) 0x80, (byte) 0xAF},     // overlong, three bytes
            new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80},     // an encoded lone surrogate (U+D800)
            new byte[]{(byte) 0xE2, (byte) 0x82},                  // truncated euro sign
            new byte[]{(byte) 0xFF},
            "\\ud800".getBytes(StandardCharsets.US_ASCII));        // an escaped lone surrogate

    @Test
    void commentsThreadsAndMessagesRefuseInvalidUtf8() {
        String tenant = Fixtures.tenant();
        // The body is read before the tile is looked up: any tile id reaches the check.
        UUID tile = UUID.randomUUID();
        String thread = as(tenant, "grace").post("/api/v1/chat/threads").then().statusCode(201).extract().path("id");
        for (byte[] bad : BAD) {
            as(tenant, "grace").body(body("body", bad)).post("/api/v1/tiles/{id}/comments", tile)
                    .then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("detail", containsString("UTF-8"));
            as(tenant, "grace").body(body("title", bad)).post("/api/v1/chat/threads")
                    .then().statusCode(400).contentType(startsWith("application/problem+json"));
            as(tenant, "grace").body(body("body", bad)).post("/api/v1/chat/threads/{id}/messages", thread)
                    .then().statusCode(400).contentType(startsWith("application/problem+json"));
        }
        // Well-formed text outside ASCII, and a surrogate pair written as escapes, still pass.
        as(tenant, "grace").body("{\"body\":\"€ \\ud83d\\ude00 ünïcödé\"}".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/chat/threads/{id}/messages", thread).then().statusCode(201)
                .body("body", equalTo("€ \uD83D\uDE00 ünïcödé"));
    }
}
