package com.activityfeed.ingest.events;

import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** SPEC §3 strictness over HTTP: invalid UTF-8 and controls in identifiers are 400s, never rewritten. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false)
class StrictInputTest {
    private static byte[] titleWith(byte... bad) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"type\":\"badge_earned\",\"title\":\"a".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bad);
        out.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void invalidUtf8IsRefusedNotReplaced() {
        List<byte[]> bad = List.of(
                new byte[]{(byte) 0xC0, (byte) 0xAF},
                new byte[]{(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[]{(byte) 0xE2, (byte) 0x82},
                "\\udc00".getBytes(StandardCharsets.US_ASCII));
        for (byte[] sequence : bad) {
            given().header("Authorization", "Bearer " + TestTokens.ingest("acme")).contentType("application/json")
                    .body(titleWith(sequence)).post("/api/v1/events")
                    .then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("detail", containsString("UTF-8"));
        }
    }

    @Test
    void aControlCharacterInTheTypeIs400WithIndexZero() {
        given().header("Authorization", "Bearer " + TestTokens.ingest("acme")).contentType("application/json")
                .body("{\"type\":\"badge\\u0000_earned\"}").post("/api/v1/events")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors[0].index", equalTo(0)).body("errors[0].field", equalTo("type"))
                .body("errors[0].message", equalTo("must not contain control characters"));
    }
}
