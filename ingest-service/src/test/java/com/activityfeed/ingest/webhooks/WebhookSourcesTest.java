package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.EventValidator;
import com.activityfeed.ingest.events.JsonBodies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.activityfeed.ingest.webhooks.GithubPayloadsTest.MAPPER;
import static com.activityfeed.ingest.webhooks.GithubPayloadsTest.NOW;
import static com.activityfeed.ingest.webhooks.GithubPayloadsTest.valid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HubSpot, Salesforce and CloudEvents normalisers against payloads shaped as their sources
 * document them, and what a webhook must accept rather than refuse (SPEC §3).
 */
class WebhookSourcesTest {
    private static final String ORG = "00D5g000004ABCDEAA";
    private final JsonBodies bodies = new JsonBodies(MAPPER);

    static String sample(String name) {
        try (InputStream in = WebhookSourcesTest.class.getResourceAsStream("/webhooks/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WebhookSettings settings(Map<String, String> properties) {
        var config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(WebhookConfig.class).build();
        return new WebhookSettings(config.getConfigMapping(WebhookConfig.class), Map.of());
    }

    private static WebhookRequest request(String contentType, Map<String, List<String>> headers, byte[] body) {
        return new WebhookRequest("acme", "POST", URI.create("http://127.0.0.1/api/v1/webhooks/x/acme"), headers, contentType, body);
    }

    /** Fitted as the service does: the first of repeated keys wins, times and payloads made to fit. */
    private static List<JsonNode> fitted(List<ObjectNode> events) {
        return WebhookService.fit(events, NOW, Duration.ofMinutes(5), Duration.ofDays(30));
    }

    private List<ObjectNode> hubspot(String body) {
        HubspotWebhook hubspot = new HubspotWebhook(null, bodies, MAPPER);
        JsonNode items = bodies.read(body.getBytes(StandardCharsets.UTF_8));
        Map<String, String> names = HubspotWebhook.names(items);
        List<ObjectNode> out = new ArrayList<>();
        items.forEach(item -> out.add(hubspot.normalise(item, names)));
        return out;
    }

    @Test
    void hubspotDeliveryWithAnOldTimestampAndARetriedEventIsKeptOnce() {
        List<JsonNode> events = fitted(hubspot(sample("hubspot-contact-delivery.json")));
        assertThat(events).hasSize(2); // eventId 3816279340 twice (a retry, attemptNumber 1): one event
        ObjectNode change = valid((ObjectNode) events.get(0));
        assertThat(change.get("type").asText()).isEqualTo("hubspot.contact.propertychange");
        assertThat(change.get("idempotencyKey").asText()).isEqualTo("3816279340");
        assertThat(change.get("title").asText()).isEqualTo("Contact 3081 moved to customer");
        assertThat(change.at("/change/to").asText()).isEqualTo("customer");
        assertThat(change.at("/payload/attemptNumber").asInt()).isZero();
        // 2022 is outside the 30-day window: the event arrives now, the source's time is kept.
        assertThat(change.has("occurredAt")).isFalse();
        assertThat(change.at("/payload/sourceOccurredAt").asText()).isEqualTo("2022-04-29T12:16:07.890Z");
        ObjectNode created = valid((ObjectNode) events.get(1));
        assertThat(created.get("type").asText()).isEqualTo("hubspot.contact.creation");
        assertThat(created.get("title").asText()).isEqualTo("Contact 3094 created");
    }

    @Test
    void hubspotNamesObjectsFromTheDeliveryAndTheFirstOfARepeatedEventIdWins() {
        String body = sample("hubspot-deal-delivery.json").replace("OCCURRED", String.valueOf(NOW.minusSeconds(30).toEpochMilli()));
        List<JsonNode> events = fitted(hubspot(body));
        assertThat(events).hasSize(6); // eventId 102 twice: one event
        assertThat(events.stream().map(e -> valid((ObjectNode) e).get("title").asText())).containsExactly(
                "Deal Acme created", "Deal Acme: dealname set to Acme", "Deal Acme moved to closedwon",
                "Contact Ada Lovelace created", "Contact Ada Lovelace: firstname set to Ada",
                "Contact Ada Lovelace: lastname set to Lovelace");
        assertThat(events.get(0).get("type").asText()).isEqualTo("hubspot.deal.creation");
        assertThat(events.get(3).get("type").asText()).isEqualTo("hubspot.contact.creation");
        assertThat(events.get(0).at("/entity/name").asText()).isEqualTo("Acme");
        assertThat(events.get(0).at("/actor/id").asText()).isEqualTo("userId:45678");
        assertThat(events.get(0).get("occurredAt").asText()).isEqualTo(NOW.minusSeconds(30).toString());
    }

    @Test
    void salesforceTitlesNameTheRecordAndLongDescriptionsAreTrimmedNotRefused() {
        SalesforceWebhook salesforce = new SalesforceWebhook(settings(Map.of(
                "ingest.webhooks.tenants.acme.salesforce-organization-id", ORG)), MAPPER);
        List<JsonNode> events = fitted(salesforce.normalise(request("text/xml", Map.of(),
                sample("salesforce-case-long-description.xml").replace("ORGID", ORG).getBytes(StandardCharsets.UTF_8))));
        ObjectNode kase = valid((ObjectNode) events.get(0));
        assertThat(kase.get("title").asText()).isEqualTo("Case Nightly export fails (case 00001026) is now Escalated in Salesforce");
        assertThat(kase.at("/payload/payloadTruncated").asBoolean()).isTrue();
        assertThat(EventValidator.serialisedSize(kase.get("payload"))).isLessThanOrEqualTo(EventValidator.MAX_PAYLOAD_BYTES);
        assertThat(kase.at("/payload/fields/Subject").asText()).isEqualTo("Nightly export fails");
        assertThat(kase.at("/payload/fields/Description").asText()).startsWith("Customer reports").endsWith("…");
        assertThat(kase.at("/actor/id").asText()).isEqualTo("0055g00000Ab1CdAAJ");
        assertThat(valid((ObjectNode) events.get(1)).get("title").asText()).isEqualTo("Contact Ada Lovelace updated in Salesforce");

        List<JsonNode> opportunities = fitted(salesforce.normalise(request("text/xml", Map.of(),
                sample("salesforce-opportunity.xml").replace("ORGID", ORG).getBytes(StandardCharsets.UTF_8))));
        assertThat(valid((ObjectNode) opportunities.get(0)).get("title").asText())
                .isEqualTo("Opportunity Globex renewal is now Closed Won in Salesforce");
    }

    private final CloudEventsWebhook cloudEvents = new CloudEventsWebhook(bodies, MAPPER);

    @Test
    void cloudEventsIdentityIsSourceAndId() {
        String batch = """
                [{"specversion":"1.0","id":"42","source":"/shop/eu","type":"com.example.order.shipped","subject":"order-7"},
                 {"specversion":"1.0","id":"42","source":"/shop/us","type":"com.example.order.shipped","subject":"order-8"},
                 {"specversion":"1.0","id":"42","source":"/shop/eu","type":"com.example.order.shipped","subject":"order-7"}]""";
        List<JsonNode> events = fitted(cloudEvents.normalise(request(CloudEventsWebhook.BATCH, Map.of(),
                batch.getBytes(StandardCharsets.UTF_8))));
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("idempotencyKey").asText()).isNotEqualTo(events.get(1).get("idempotencyKey").asText())
                .isEqualTo(CloudEventsWebhook.key("/shop/eu", "42"));
        ObjectNode first = valid((ObjectNode) events.get(0));
        assertThat(first.get("type").asText()).isEqualTo("com.example.order.shipped");
        assertThat(first.get("title").asText()).isEqualTo("Order shipped: order-7");
        assertThat(first.at("/entity/type").asText()).isEqualTo("order");
        assertThat(first.at("/payload/cloudevent/source").asText()).isEqualTo("/shop/eu");
        assertThat(first.at("/payload/cloudevent/id").asText()).isEqualTo("42");
    }

    @Test
    void cloudEventsKeepContentTypeBase64DataAndExtensions() {
        String structured = """
                {"specversion":"1.0","id":"b-1","source":"urn:cam","type":"Camera.Snapshot.Taken","time":"%s",
                 "datacontenttype":"image/png","data_base64":"iVBORw0KGgo=","traceparent":"00-x","partitionkey":"cam-1"}"""
                .formatted(NOW.minusSeconds(5));
        ObjectNode event = valid((ObjectNode) fitted(cloudEvents.normalise(request(CloudEventsWebhook.STRUCTURED, Map.of(),
                structured.getBytes(StandardCharsets.UTF_8)))).getFirst());
        assertThat(event.at("/payload/data_base64").asText()).isEqualTo("iVBORw0KGgo=");
        assertThat(event.at("/payload/cloudevent/datacontenttype").asText()).isEqualTo("image/png");
        assertThat(event.at("/payload/cloudevent/partitionkey").asText()).isEqualTo("cam-1");
        assertThat(event.get("title").asText()).isEqualTo("Snapshot taken from urn:cam");
        assertThat(event.get("occurredAt").asText()).isEqualTo(NOW.minusSeconds(5).toString());

        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, (byte) 0xFF, (byte) 0xC0};
        ObjectNode binary = valid((ObjectNode) fitted(cloudEvents.normalise(request("image/png", Map.of(
                "ce-specversion", List.of("1.0"), "ce-id", List.of("b-2"), "ce-source", List.of("urn:cam"),
                "ce-type", List.of("camera.snapshot.taken"), "ce-subject", List.of("cam%201"), "ce-region", List.of("eu")), png)))
                .getFirst());
        assertThat(Base64.getDecoder().decode(binary.at("/payload/data_base64").asText())).isEqualTo(png);
        assertThat(binary.at("/payload/cloudevent/datacontenttype").asText()).isEqualTo("image/png");
        assertThat(binary.at("/payload/cloudevent/region").asText()).isEqualTo("eu");
        assertThat(binary.at("/entity/id").asText()).isEqualTo("cam 1");
        assertThat(binary.at("/entity/type").asText()).isEqualTo("snapshot");

        ObjectNode odd = valid((ObjectNode) fitted(cloudEvents.normalise(request(CloudEventsWebhook.STRUCTURED, Map.of(),
                "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"Not A Type!\"}".getBytes(StandardCharsets.UTF_8))))
                .getFirst());
        assertThat(odd.get("type").asText()).isEqualTo("not_a_type_");
        assertThat(odd.at("/payload/cloudevent/type").asText()).isEqualTo("Not A Type!");
    }

    @Test
    void aCloudEventWrappingAGithubPullRequestIsTrimmedToFit() throws IOException {
        JsonNode pr = GithubPayloadsTest.example("pull_request/labeled.json");
        ObjectNode ce = MAPPER.createObjectNode().put("specversion", "1.0").put("id", "gh-1").put("source", "https://github.com/northwind/orders-api")
                .put("type", "com.github.pull_request.labeled").put("subject", "42");
        ce.set("data", pr);
        ObjectNode event = valid((ObjectNode) fitted(cloudEvents.normalise(request(CloudEventsWebhook.STRUCTURED, Map.of(),
                MAPPER.writeValueAsBytes(ce)))).getFirst());
        assertThat(event.at("/payload/payloadTruncated").asBoolean()).isTrue();
        assertThat(EventValidator.serialisedSize(event.get("payload"))).isLessThanOrEqualTo(EventValidator.MAX_PAYLOAD_BYTES)
                .isGreaterThan(EventValidator.MAX_PAYLOAD_BYTES - 1024);
        assertThat(event.at("/payload/cloudevent/id").asText()).isEqualTo("gh-1");
        assertThat(event.at("/payload/data/action").asText()).isEqualTo("labeled");
        assertThat(event.get("title").asText()).isEqualTo("Pull request labeled: 42");
    }

    @Test
    void payloadsAtTheLimitAreKeptWholeAndOneByteMoreIsTrimmed() {
        ObjectNode payload = MAPPER.createObjectNode();
        payload.put("text", "");
        int overhead = EventValidator.serialisedSize(payload);
        payload.put("text", "x".repeat(EventValidator.MAX_PAYLOAD_BYTES - overhead));
        assertThat(Payloads.fit(payload, EventValidator.MAX_PAYLOAD_BYTES)).isFalse();
        assertThat(payload.has(Payloads.TRUNCATED)).isFalse();
        payload.put("text", "x".repeat(EventValidator.MAX_PAYLOAD_BYTES - overhead + 1));
        assertThat(Payloads.fit(payload, EventValidator.MAX_PAYLOAD_BYTES)).isTrue();
        assertThat(EventValidator.serialisedSize(payload)).isLessThanOrEqualTo(EventValidator.MAX_PAYLOAD_BYTES);
        assertThat(payload.get(Payloads.TRUNCATED).asBoolean()).isTrue();

        ObjectNode many = MAPPER.createObjectNode();
        var items = many.putArray("items");
        for (int i = 0; i < 5000; i++) {
            items.addObject().put("i", i).put("name", "item " + i);
        }
        Payloads.fit(many, EventValidator.MAX_PAYLOAD_BYTES);
        assertThat(EventValidator.serialisedSize(many)).isLessThanOrEqualTo(EventValidator.MAX_PAYLOAD_BYTES);
        assertThat(many.get("items").get(0).get("i").asInt()).isZero();
    }

    @Test
    void timesAheadOrUnreadableBecomeTheArrivalTime() {
        ObjectNode ahead = MAPPER.createObjectNode().put("type", "a.b").put("occurredAt", NOW.plusSeconds(301).toString());
        ObjectNode edge = MAPPER.createObjectNode().put("type", "a.b").put("occurredAt", NOW.plusSeconds(300).toString());
        ObjectNode garbage = MAPPER.createObjectNode().put("type", "a.b").put("occurredAt", "yesterday");
        List<JsonNode> events = fitted(List.of(ahead, edge, garbage));
        assertThat(events.get(0).has("occurredAt")).isFalse();
        assertThat(events.get(0).at("/payload/sourceOccurredAt").asText()).isEqualTo(NOW.plusSeconds(301).toString());
        assertThat(events.get(1).get("occurredAt").asText()).isEqualTo(NOW.plusSeconds(300).toString());
        assertThat(events.get(2).at("/payload/sourceOccurredAt").asText()).isEqualTo("yesterday");
        ObjectNode behind = MAPPER.createObjectNode().put("type", "a.b").put("occurredAt", NOW.minus(Duration.ofDays(30)).toString());
        ObjectNode older = MAPPER.createObjectNode().put("type", "a.b").put("occurredAt", NOW.minus(Duration.ofDays(30)).minusSeconds(1).toString());
        events = fitted(List.of(behind, older));
        assertThat(events.get(0).has("occurredAt")).isTrue();
        assertThat(events.get(1).has("occurredAt")).isFalse();
    }
}
