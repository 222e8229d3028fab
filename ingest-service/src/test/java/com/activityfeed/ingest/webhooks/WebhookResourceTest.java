package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.ids.EventIds;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

/** Each webhook with a signature computed here from a realistic payload, and tampered ones. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false)
class WebhookResourceTest {
    private static final String GITHUB_SECRET = "It's a Secret to Everybody";
    private static final String HUBSPOT_SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    private static final String GENERIC_SECRET = "generic-test-secret";
    private static final String ORG = "00D5g000004ABCDEAA";
    private static final String PROBLEM = "application/problem+json";

    private static String sample(String name) {
        try (InputStream in = WebhookResourceTest.class.getResourceAsStream("/webhooks/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hexSignature(String secret, String body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret, body));
    }

    private static RequestSpecification github(String event, String delivery, String signedBody) {
        return given().contentType("application/json").header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", hexSignature(GITHUB_SECRET, signedBody));
    }

    @Test
    void githubIssueWithRealSignatureIsNormalisedOnDryRun() {
        String body = sample("github-issues-opened.json");
        String delivery = UUID.randomUUID().toString();
        github("issues", delivery, body).body(body).post("/api/v1/webhooks/github/acme?dryRun=true")
                .then().statusCode(200).body("events", hasSize(1))
                .body("events[0].id", equalTo(EventIds.fromKey("acme", delivery).toString()))
                .body("events[0].tenantId", equalTo("acme"))
                .body("events[0].type", equalTo("github.issues.opened"))
                .body("events[0].source", equalTo("github"))
                .body("events[0].idempotencyKey", equalTo(delivery))
                .body("events[0].actor.id", equalTo("octocat"))
                .body("events[0].entity.type", equalTo("issue"))
                .body("events[0].entity.id", equalTo("acme/rocket#1347"))
                .body("events[0].title", equalTo("octocat opened issue #1347: Found a bug"));
    }

    @Test
    void githubPublishesAndAnswersIds() {
        String body = sample("github-push.json");
        String delivery = UUID.randomUUID().toString();
        github("push", delivery, body).body(body).post("/api/v1/webhooks/github/acme")
                .then().statusCode(202).body("events[0].id", equalTo(EventIds.fromKey("acme", delivery).toString()))
                .body("events[0].idempotencyKey", equalTo(delivery));
    }

    @Test
    void githubPushReleasePullRequestOtherAndPing() {
        String push = sample("github-push.json");
        github("push", "d-1", push).body(push).post("/api/v1/webhooks/github/acme?dryRun=true").then().statusCode(200)
                .body("events[0].type", equalTo("github.push"))
                .body("events[0].title", equalTo("monalisa pushed 2 commits to main in acme/rocket"))
                .body("events[0].entity.id", equalTo("acme/rocket"));
        String release = sample("github-release.json");
        github("release", "d-2", release).body(release).post("/api/v1/webhooks/github/acme?dryRun=true").then().statusCode(200)
                .body("events[0].type", equalTo("github.release.published"))
                .body("events[0].entity.id", equalTo("acme/rocket@v2.1.0"));
        String pr = sample("github-pull-request-closed.json");
        github("pull_request", "d-3", pr).body(pr).post("/api/v1/webhooks/github/acme?dryRun=true").then().statusCode(200)
                .body("events[0].type", equalTo("github.pull_request.merged"))
                .body("events[0].entity.type", equalTo("pull_request"));
        String star = "{\"action\":\"created\",\"starred_at\":\"2026-11-23T09:00:00Z\",\"repository\":{\"full_name\":\"acme/rocket\"},"
                + "\"sender\":{\"login\":\"hubot\"}}";
        github("star", "d-4", star).body(star).post("/api/v1/webhooks/github/acme?dryRun=true").then().statusCode(200)
                .body("events[0].type", equalTo("github.star.created"))
                .body("events[0].title", equalTo("hubot starred acme/rocket"));
        String ping = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}";
        github("ping", "d-5", ping).body(ping).post("/api/v1/webhooks/github/acme").then().statusCode(202)
                .body("events", hasSize(0));
    }

    @Test
    void githubTamperedOrUnsignedIs401() {
        String body = sample("github-issues-opened.json");
        github("issues", "d-t", body).body(body.replace("Found a bug", "Found two bugs"))
                .post("/api/v1/webhooks/github/acme").then().statusCode(401).contentType(startsWith(PROBLEM));
        given().contentType("application/json").header("X-GitHub-Event", "issues").header("X-GitHub-Delivery", "d-u")
                .body(body).post("/api/v1/webhooks/github/acme").then().statusCode(401).contentType(startsWith(PROBLEM));
        given().contentType("application/json").header("X-GitHub-Event", "issues").header("X-GitHub-Delivery", "d-w")
                .header("X-Hub-Signature-256", hexSignature("wrong secret", body))
                .body(body).post("/api/v1/webhooks/github/acme").then().statusCode(401);
    }

    @Test
    void unknownSourceOrTenantIs404() {
        String body = sample("github-push.json");
        github("push", "d-x", body).body(body).post("/api/v1/webhooks/github/globex").then().statusCode(404)
                .contentType(startsWith(PROBLEM));
        github("push", "d-x", body).body(body).post("/api/v1/webhooks/gitlab/acme").then().statusCode(404)
                .contentType(startsWith(PROBLEM));
        github("push", "d-x", body).body(body).post("/api/v1/webhooks/github/NOT_A_TENANT").then().statusCode(404);
        github("push", "d-x", body).body(body).post("/api/v1/webhooks/github/acme?dryRun=maybe").then().statusCode(400);
    }

    private static String hubspotBody() {
        return sample("hubspot-events.json").replace("OCCURRED", String.valueOf(Instant.now().minusSeconds(30).toEpochMilli()));
    }

    private static Response hubspot(String signedBody, String sentBody, long timestamp) {
        String path = "/api/v1/webhooks/hubspot/acme?dryRun=true";
        String url = RestAssured.baseURI + ":" + RestAssured.port + path;
        String signature = Base64.getEncoder().encodeToString(hmac(HUBSPOT_SECRET, "POST" + url + signedBody + timestamp));
        return given().contentType("application/json").header("X-HubSpot-Signature-v3", signature)
                .header("X-HubSpot-Request-Timestamp", String.valueOf(timestamp)).body(sentBody).post(path);
    }

    @Test
    void hubspotV3SignatureIsVerified() {
        String body = hubspotBody();
        long now = System.currentTimeMillis();
        hubspot(body, body, now).then().statusCode(200).body("events", hasSize(2))
                .body("events[0].type", equalTo("hubspot.contact.propertychange"))
                .body("events[0].idempotencyKey", equalTo("3816279340"))
                .body("events[0].entity.type", equalTo("contact"))
                .body("events[0].entity.id", equalTo("1246965"))
                .body("events[0].change.field", equalTo("lifecyclestage"))
                .body("events[0].change.to", equalTo("salesqualifiedlead"))
                .body("events[1].type", equalTo("hubspot.contact.creation"));
        hubspot(body, body.replace("salesqualifiedlead", "customer"), now).then().statusCode(401).contentType(startsWith(PROBLEM));
    }

    @Test
    void hubspotOldTimestampIsRefusedEvenWhenSigned() {
        String body = hubspotBody();
        hubspot(body, body, System.currentTimeMillis() - 6 * 60_000).then().statusCode(401);
        hubspot(body, body, System.currentTimeMillis() - 4 * 60_000).then().statusCode(200);
    }

    @Test
    void cloudEventsStructuredBinaryAndBatch() {
        String token = TestTokens.ingest("acme");
        String id = UUID.randomUUID().toString();
        given().header("Authorization", "Bearer " + token).contentType("application/cloudevents+json; charset=utf-8")
                .body("""
                        {"specversion":"1.0","id":"%s","source":"/orders/eu","type":"order.shipped","time":"%s",
                         "subject":"order-42","datacontenttype":"application/json","data":{"carrier":"UPS"}}""".formatted(id, Instant.now()))
                .post("/api/v1/webhooks/cloudevents/acme?dryRun=true").then().statusCode(200)
                .body("events[0].type", equalTo("order.shipped"))
                .body("events[0].idempotencyKey", equalTo(CloudEventsWebhook.key("/orders/eu", id)))
                .body("events[0].id", equalTo(EventIds.fromKey("acme", CloudEventsWebhook.key("/orders/eu", id)).toString()))
                .body("events[0].entity.id", equalTo("order-42"))
                .body("events[0].payload.data.carrier", equalTo("UPS"))
                .body("events[0].payload.cloudevent.source", equalTo("/orders/eu"));
        given().header("Authorization", "Bearer " + token).contentType("application/json")
                .header("ce-specversion", "1.0").header("ce-id", "bin-" + id).header("ce-source", "/orders/eu")
                .header("ce-type", "order.paid").body("{\"amount\":12}")
                .post("/api/v1/webhooks/cloudevents/acme").then().statusCode(202)
                .body("events[0].id", equalTo(EventIds.fromKey("acme", CloudEventsWebhook.key("/orders/eu", "bin-" + id)).toString()));
        given().header("Authorization", "Bearer " + token).contentType("application/cloudevents-batch+json")
                .body("""
                        [{"specversion":"1.0","id":"b1-%1$s","source":"/s","type":"a.one"},
                         {"specversion":"1.0","id":"b2-%1$s","source":"/s","type":"a.two","data":"text"}]""".formatted(id))
                .post("/api/v1/webhooks/cloudevents/acme?dryRun=true").then().statusCode(200)
                .body("events", hasSize(2)).body("events[1].type", equalTo("a.two"))
                .body("events[1].payload.data", equalTo("text"));
    }

    @Test
    void cloudEventsNeedAnIngestTokenForTheTenant() {
        String event = "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"a\"}";
        given().contentType("application/cloudevents+json").body(event).post("/api/v1/webhooks/cloudevents/acme")
                .then().statusCode(401).contentType(startsWith(PROBLEM));
        given().header("Authorization", "Bearer " + TestTokens.reader("acme", "ada")).contentType("application/cloudevents+json")
                .body(event).post("/api/v1/webhooks/cloudevents/acme").then().statusCode(403).contentType(startsWith(PROBLEM));
        given().header("Authorization", "Bearer " + TestTokens.ingest("globex")).contentType("application/cloudevents+json")
                .body(event).post("/api/v1/webhooks/cloudevents/acme").then().statusCode(403);
        given().header("Authorization", "Bearer " + TestTokens.platform("platform")).contentType("application/cloudevents+json")
                .body(event).post("/api/v1/webhooks/cloudevents/acme?dryRun=true").then().statusCode(200);
        given().header("Authorization", "Bearer " + TestTokens.ingest("acme")).contentType("application/cloudevents+json")
                .body("{\"specversion\":\"0.3\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"a\"}")
                .post("/api/v1/webhooks/cloudevents/acme").then().statusCode(400).contentType(startsWith(PROBLEM));
        // Any non-empty string is a valid CloudEvents type: it is made an event type, not refused.
        given().header("Authorization", "Bearer " + TestTokens.ingest("acme")).contentType("application/cloudevents+json")
                .body("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"Not A Type!\"}")
                .post("/api/v1/webhooks/cloudevents/acme?dryRun=true").then().statusCode(200)
                .body("events[0].type", equalTo("not_a_type_"));
        given().header("Authorization", "Bearer " + TestTokens.ingest("acme")).contentType("text/plain").body("hello")
                .post("/api/v1/webhooks/cloudevents/acme").then().statusCode(415).contentType(startsWith(PROBLEM));
    }

    @Test
    void salesforceFromTheConfiguredOrganisationIsAcknowledged() {
        String body = sample("salesforce-opportunity.xml").replace("ORGID", ORG);
        given().contentType("text/xml; charset=utf-8").header("SOAPAction", "\"\"").body(body)
                .post("/api/v1/webhooks/salesforce/acme").then().statusCode(200)
                .contentType(startsWith("text/xml"))
                .body(containsString("<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\">"))
                .body(containsString("<Ack>true</Ack>"));
        given().contentType("text/xml").body(sample("salesforce-opportunity.xml").replace("ORGID", ORG.substring(0, 15)))
                .post("/api/v1/webhooks/salesforce/acme?dryRun=true").then().statusCode(200)
                .body("events", hasSize(2))
                .body("events[0].type", equalTo("salesforce.opportunity"))
                .body("events[0].idempotencyKey", equalTo("04l5g00000A1b2CAAR"))
                .body("events[0].entity.id", equalTo("0065g00000Qx7YzAAJ"))
                .body("events[0].entity.name", equalTo("Globex renewal"))
                .body("events[0].payload.fields.StageName", equalTo("Closed Won"))
                .body("events[1].idempotencyKey", equalTo("04l5g00000A1b2DAAR"));
    }

    @Test
    void salesforceFromAnotherOrganisationIs401AndXxeIsRefused() {
        given().contentType("text/xml").body(sample("salesforce-opportunity.xml").replace("ORGID", "00D000000000001AAA"))
                .post("/api/v1/webhooks/salesforce/acme").then().statusCode(401).contentType(startsWith(PROBLEM));
        String xxe = sample("salesforce-opportunity.xml").replace("ORGID", ORG)
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE x [<!ENTITY leak SYSTEM \"file:///etc/passwd\">]>")
                .replace("Globex renewal", "&leak;");
        given().contentType("text/xml").body(xxe).post("/api/v1/webhooks/salesforce/acme?dryRun=true")
                .then().statusCode(400).contentType(startsWith(PROBLEM)).body(not(containsString("root:")));
        given().contentType("text/xml").body("<not-closed>").post("/api/v1/webhooks/salesforce/acme")
                .then().statusCode(400).contentType(startsWith(PROBLEM));
    }

    @Test
    void genericMapsByJsonPointersAndChecksTheSignature() {
        String body = """
                {"alerts":[{"uuid":"al-1","kind":"host.down","summary":"db-1 is down","firedAt":"%s",
                            "host":{"id":17,"name":"db-1"},"severity":"urgent","labels":{"dc":"eu-1"}},
                           {"uuid":"al-2","kind":"host.up","summary":"db-2 is up","host":{"id":18,"name":"db-2"}}]}"""
                .formatted(Instant.now().minusSeconds(5));
        given().contentType("application/json").header("X-Signature-256", hexSignature(GENERIC_SECRET, body)).body(body)
                .post("/api/v1/webhooks/generic/acme?dryRun=true").then().statusCode(200)
                .body("events", hasSize(2))
                .body("events[0].type", equalTo("host.down"))
                .body("events[0].title", equalTo("db-1 is down"))
                .body("events[0].idempotencyKey", equalTo("al-1"))
                .body("events[0].entity.type", equalTo("host"))
                .body("events[0].entity.id", equalTo("17"))
                .body("events[0].priority", equalTo("urgent"))
                .body("events[0].source", equalTo("monitoring"))
                .body("events[0].payload.dc", equalTo("eu-1"))
                .body("events[1].priority", equalTo("normal"));
        given().contentType("application/json").header("X-Signature-256", hexSignature(GENERIC_SECRET, body))
                .body(body.replace("db-1 is down", "all fine")).post("/api/v1/webhooks/generic/acme")
                .then().statusCode(401).contentType(startsWith(PROBLEM));
        given().contentType("application/json").header("X-Signature-256", hexSignature(GENERIC_SECRET, body)).body(body)
                .post("/api/v1/webhooks/generic/acme").then().statusCode(202).body("events", hasSize(2));
    }

    private static String form(String json) {
        return "payload=" + java.net.URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    /** Sends the bytes as they are (the REST client would re-encode a form body). */
    private static java.net.http.HttpResponse<String> raw(String contentType, java.util.Map<String, String> headers, byte[] body) {
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build()) {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/webhooks/github/acme?dryRun=true"))
                    .header("Content-Type", contentType).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            return client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void githubFormEncodedDeliveriesAreAcceptedWhateverTheirSize() {
        String form = sample("github-pull-request-labeled.form");
        assertThat(form.length()).isGreaterThan(40_000); // was refused from about 2 KB on
        var response = raw("application/x-www-form-urlencoded", java.util.Map.of("X-GitHub-Event", "pull_request",
                "X-GitHub-Delivery", "form-1", "X-Hub-Signature-256", hexSignature(GITHUB_SECRET, form)),
                form.getBytes(StandardCharsets.US_ASCII));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(io.restassured.path.json.JsonPath.from(response.body()).getString("events[0].title"))
                .isEqualTo("ada-l added label invoicing to pull request #42: Export invoices as CSV");
    }

    /** A delivery of exactly {@code size} bytes: a GitHub push padded with spaces, JSON or form-encoded. */
    private static byte[] padded(boolean asForm, int size) {
        String json = sample("github/push/branch-created.json").strip();
        String start = asForm ? "payload=" + java.net.URLEncoder.encode(json.substring(0, json.length() - 1), StandardCharsets.UTF_8)
                : json.substring(0, json.length() - 1);
        String end = asForm ? "%7D" : "}";
        // '+' is a space in a form, so both pad with whitespace inside the JSON object.
        return (start + (asForm ? "+" : " ").repeat(size - start.length() - end.length()) + end).getBytes(StandardCharsets.US_ASCII);
    }

    private static java.net.http.HttpResponse<String> postGithub(String contentType, byte[] body) {
        return raw(contentType, java.util.Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", "big-" + body.length,
                "X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(Signatures.hmacSha256(GITHUB_SECRET, body))), body);
    }

    @Test
    void webhookBodiesUpTo25MiBAreAcceptedAndOneByteMoreIs413() {
        int limit = 25 * 1024 * 1024;
        var form = postGithub("application/x-www-form-urlencoded", padded(true, limit));
        assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
        assertThat(form.body()).contains("grace-h created branch feature/invoice-export in northwind/orders-api with 1 commit");
        var json = postGithub("application/json", padded(false, limit));
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        var tooLarge = postGithub("application/json", padded(false, limit + 1));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(PROBLEM));
    }

    @Test
    void invalidUtf8InAFormPayloadIs400() {
        String form = "payload=%7B%22a%22%3A%22%C0%AF%22%7D";
        given().contentType("application/x-www-form-urlencoded").header("X-GitHub-Event", "push").header("X-GitHub-Delivery", "u-1")
                .header("X-Hub-Signature-256", hexSignature(GITHUB_SECRET, form)).body(form)
                .post("/api/v1/webhooks/github/acme?dryRun=true").then().statusCode(400).contentType(startsWith(PROBLEM));
        String malformed = "payload=%7B%zz";
        given().contentType("application/x-www-form-urlencoded").header("X-GitHub-Event", "push").header("X-GitHub-Delivery", "u-2")
                .header("X-Hub-Signature-256", hexSignature(GITHUB_SECRET, malformed)).body(malformed)
                .post("/api/v1/webhooks/github/acme?dryRun=true").then().statusCode(400).contentType(startsWith(PROBLEM));
    }

    @Test
    void aHubspotDeliveryRepeatingAnEventIdIsAcceptedOnce() {
        String item = "{\"objectId\":1,\"eventId\":77,\"subscriptionType\":\"deal.creation\",\"occurredAt\":"
                + Instant.now().toEpochMilli() + "}";
        String body = "[" + item + "," + item + "]";
        hubspot(body, body, System.currentTimeMillis()).then().statusCode(200).body("events", hasSize(1))
                .body("events[0].title", equalTo("Deal 1 created"));
    }
}
