package com.activityfeed.system.robustness;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC R3: a corpus of bad input sent to every endpoint of the three services. Nothing may answer
 * 5xx, and every refusal is application/problem+json.
 */
class BadInputIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static SystemUnderTest system;

    private static final List<byte[]> BODIES = List.of(
            new byte[0],
            bytes("{"),
            bytes("[]"),
            bytes("null"),
            bytes("123"),
            bytes("\"text\""),
            bytes("{\"type\":123,\"events\":{}}"),
            bytes("{\"events\":[null,1,\"x\",[]]}"),
            bytes("{\"body\":12,\"title\":[],\"tileIds\":\"x\"}"),
            bytes("{\"tileIds\":[\"not-a-uuid\",null,5]}"),
            bytes("{\"body\":\"" + "x".repeat(100_000) + "\"}"),
            bytes("{\"a\":" + "9".repeat(5000) + "}"),
            bytes("[".repeat(5000) + "]".repeat(5000)),
            bytes("{\"a\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001)),
            new byte[]{'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
            utf8With(new byte[]{(byte) 0xC0, (byte) 0xAF}),                 // overlong
            utf8With(new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}),    // encoded lone surrogate
            utf8With(new byte[]{(byte) 0xE2, (byte) 0x82}),                 // truncated
            utf8With("\\udc00".getBytes(StandardCharsets.US_ASCII)),     // escaped lone surrogate
            bytes("{\"type\":\"a\u0000b\",\"kind\":\"x\u0007y\",\"body\":\"x\"}"),
            bytes("payload=%7B%zz"),
            bytes("payload=" + "%7B".repeat(3000)),
            bytes("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"));

    private static final List<String> CONTENT_TYPES = List.of("application/json", "text/plain", "application/xml",
            "application/x-www-form-urlencoded");

    /** {"type":"a?b","title":"a?b","body":"a?b","kind":"a?b"} with ? the given bytes. */
    private static byte[] utf8With(byte[] bad) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String field : List.of("type", "title", "body", "kind")) {
            out.writeBytes(((out.size() == 0 ? "{\"" : ",\"") + field + "\":\"a").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bad);
            out.writeBytes("b\"".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    @Test
    void noEndpointAnswers5xxToBadInputAndEveryRefusalIsAProblem() throws Exception {
        String tenant = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        String reader = TestTokens.reader(tenant, "mallory");
        String ingest = TestTokens.ingest(tenant);
        String admin = TestTokens.admin(tenant);
        String someId = UUID.randomUUID().toString();
        List<String> faults = new ArrayList<>();

        List<Target> posts = List.of(
                new Target(system.ingest, "POST", "/api/v1/events", ingest),
                new Target(system.ingest, "POST", "/api/v1/webhooks/github/" + tenant, null),
                new Target(system.ingest, "POST", "/api/v1/webhooks/hubspot/" + tenant, null),
                new Target(system.ingest, "POST", "/api/v1/webhooks/cloudevents/" + tenant, ingest),
                new Target(system.ingest, "POST", "/api/v1/webhooks/salesforce/" + tenant, null),
                new Target(system.ingest, "POST", "/api/v1/webhooks/generic/" + tenant + "?dryRun=true", null),
                new Target(system.feed, "POST", "/api/v1/feed/read", reader),
                new Target(system.feed, "POST", "/api/v1/feed/read-all", reader),
                new Target(system.feed, "POST", "/api/v1/feed/stream-tickets", reader),
                new Target(system.feed, "POST", "/api/v1/feed/admin/dlq/redrive", admin),
                new Target(system.social, "PUT", "/api/v1/tiles/" + someId + "/reactions/hype", reader),
                new Target(system.social, "POST", "/api/v1/tiles/" + someId + "/comments", reader),
                new Target(system.social, "POST", "/api/v1/chat/threads", reader),
                new Target(system.social, "PATCH", "/api/v1/chat/threads/" + someId, reader),
                new Target(system.social, "POST", "/api/v1/chat/threads/" + someId + "/messages", reader),
                new Target(system.social, "POST", "/api/v1/chat/messages", reader));
        for (Target target : posts) {
            for (String type : CONTENT_TYPES) {
                for (byte[] body : BODIES) {
                    check(target, type, body, faults);
                }
            }
        }
        // Signed for a tenant that has every webhook configured: every parser gets every bad body.
        String hooks = "/api/v1/webhooks/%s/" + SystemUnderTest.WEBHOOK_TENANT + "?dryRun=true";
        for (String type : CONTENT_TYPES) {
            for (byte[] body : BODIES) {
                String signature = sha256Header(SystemUnderTest.GITHUB_SECRET, body);
                check(new Target(system.ingest, "POST", hooks.formatted("github"), null), type, body, faults,
                        Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                                "X-Hub-Signature-256", signature));
                check(new Target(system.ingest, "POST", hooks.formatted("github"), null), type, body, faults,
                        Map.of("X-GitHub-Event", "workflow_run", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                                "X-Hub-Signature-256", signature));
                String timestamp = String.valueOf(System.currentTimeMillis());
                check(new Target(system.ingest, "POST", hooks.formatted("hubspot"), null), type, body, faults,
                        Map.of("X-HubSpot-Request-Timestamp", timestamp, "X-HubSpot-Signature-v3", hubspotSignature(
                                SystemUnderTest.HUBSPOT_SECRET, "POST", system.ingest.url(hooks.formatted("hubspot")), body, timestamp)));
                check(new Target(system.ingest, "POST", hooks.formatted("generic"), null), type, body, faults,
                        Map.of("X-Signature-256", sha256Header(SystemUnderTest.GENERIC_SECRET, body)));
                check(new Target(system.ingest, "POST", hooks.formatted("salesforce"), null), type, body, faults, Map.of());
            }
        }
        // Invalid UTF-8 is refused, not replaced, in ingest and social alike.
        for (int i = 14; i <= 18; i++) {
            byte[] body = BODIES.get(i);
            assertThat(status(new Target(system.ingest, "POST", "/api/v1/events", ingest), body)).as("ingest, body %d", i).isEqualTo(400);
            assertThat(status(new Target(system.social, "POST", "/api/v1/chat/threads", reader), body)).as("social, body %d", i).isEqualTo(400);
            String signature = sha256Header(SystemUnderTest.GENERIC_SECRET, body);
            HttpResponse<String> generic = HTTP.send(HttpRequest.newBuilder(URI.create(system.ingest.url(hooks.formatted("generic"))))
                    .header("Content-Type", "application/json").header("X-Signature-256", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(generic.statusCode()).as("generic webhook, body %d", i).isEqualTo(400);
        }

        List<String> badQueries = List.of(
                "/api/v1/feed?limit=abc", "/api/v1/feed?limit=-1", "/api/v1/feed?limit=99999999999999999999",
                "/api/v1/feed?cursor=%00%ff", "/api/v1/feed?cursor=eyJ9", "/api/v1/feed?from=yesterday",
                "/api/v1/feed?to=2026-13-45T99:00:00Z", "/api/v1/feed?order=sideways", "/api/v1/feed?priority=extreme",
                "/api/v1/feed?types=" + "a,".repeat(2000), "/api/v1/feed?unread=maybe", "/api/v1/feed?tags=%E2%80%AE",
                "/api/v1/feed/tiles/not-a-uuid", "/api/v1/feed/tiles/" + someId,
                "/api/v1/feed/events?since=garbage", "/api/v1/feed/events?limit=0", "/api/v1/feed/events/not-a-uuid",
                "/api/v1/feed/entities/x/y/events?limit=-5", "/api/v1/feed/entities/%2F/%2F/events?since=nope",
                "/api/v1/feed/unread-count?from=nope", "/api/v1/feed/stats?tz=Mars/Olympus",
                "/api/v1/feed/stats?from=2026-01-01T00:00:00Z&to=2020-01-01T00:00:00Z", "/api/v1/feed/stats?actorId=",
                "/api/v1/feed/types?x=%25zz",
                "/api/v1/feed/admin/consumer-lag", "/api/v1/feed/admin/dlq");
        for (String query : badQueries) {
            check(new Target(system.feed, "GET", query, query.contains("/admin/") ? admin : reader), null, null, faults);
        }
        // a forged ticket, without a bearer token: refused before any stream starts
        check(new Target(system.feed, "GET", "/api/v1/feed/stream?ticket=forged&lastEventId=-7", null), null, null, faults);
        List<String> socialQueries = List.of(
                "/api/v1/tiles/not-a-uuid/comments", "/api/v1/tiles/" + someId + "/comments?cursor=%25%25%25",
                "/api/v1/tiles/" + someId + "/comments?limit=abc", "/api/v1/chat/threads?cursor=zzz",
                "/api/v1/chat/threads/not-a-uuid/messages", "/api/v1/chat/messages?unthreaded=perhaps",
                "/api/v1/chat/messages?limit=100000");
        for (String query : socialQueries) {
            check(new Target(system.social, "GET", query, reader), null, null, faults);
        }
        check(new Target(system.social, "PUT", "/api/v1/tiles/" + someId + "/reactions/%00", reader), null, new byte[0], faults);
        check(new Target(system.social, "DELETE", "/api/v1/tiles/not-a-uuid/comments/also-not", reader), null, null, faults);
        check(new Target(system.social, "DELETE", "/api/v1/chat/threads/not-a-uuid", reader), null, null, faults);

        assertThat(faults).isEmpty();
    }

    @Test
    void aGenericWebhookConfiguredThroughEnvironmentVariablesMapsItsFields() throws Exception {
        // INGEST_WEBHOOKS_TENANTS__BAD_INPUT__GENERIC_FIELDS_OCCURRED_AT and _IDEMPOTENCY_KEY (SystemUnderTest)
        String at = java.time.Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        byte[] body = bytes("{\"kind\":\"host.down\",\"at\":\"" + at + "\",\"id\":\"alert-7\"}");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.ingest.url(
                        "/api/v1/webhooks/generic/" + SystemUnderTest.WEBHOOK_TENANT + "?dryRun=true")))
                .header("Content-Type", "application/json")
                .header("X-Signature-256", sha256Header(SystemUnderTest.GENERIC_SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"type\":\"host.down\"", "\"occurredAt\":\"" + at + "\"",
                "\"idempotencyKey\":\"alert-7\"", "\"source\":\"monitoring\"");
    }

    private static byte[] hmac(String secret, byte[]... parts) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GitHub's and the generic webhook's signature. */
    private static String sha256Header(String secret, byte[] body) {
        return "sha256=" + java.util.HexFormat.of().formatHex(hmac(secret, body));
    }

    /** HubSpot's v3 signature: method, URL, body and timestamp. */
    private static String hubspotSignature(String secret, String method, String url, byte[] body, String timestamp) {
        return java.util.Base64.getEncoder().encodeToString(hmac(secret, (method + url).getBytes(StandardCharsets.UTF_8), body,
                timestamp.getBytes(StandardCharsets.UTF_8)));
    }

    private static int status(Target target, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(target.service.url(target.path)))
                .header("Authorization", "Bearer " + target.token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void check(Target target, String contentType, byte[] body, List<String> faults) throws Exception {
        check(target, contentType, body, faults, Map.of());
    }

    private static void check(Target target, String contentType, byte[] body, List<String> faults, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.service.url(target.path)))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        if (target.token != null) {
            request.header("Authorization", "Bearer " + target.token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(target.method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String what = target.method + " " + target.path + (contentType == null ? "" : " [" + contentType + ", "
                + (body == null ? 0 : body.length) + " bytes: " + preview(body) + "]");
        if (response.statusCode() >= 500) {
            faults.add(what + " -> " + response.statusCode() + " " + preview(response.body().getBytes(StandardCharsets.UTF_8)));
        } else if (response.statusCode() >= 400
                && !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            faults.add(what + " -> " + response.statusCode() + " without problem+json ("
                    + response.headers().firstValue("Content-Type").orElse("no content type") + ")");
        }
    }

    private static String preview(byte[] body) {
        if (body == null) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private record Target(ServiceProcess service, String method, String path, String token) {
    }
}
