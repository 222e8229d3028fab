package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.JsonBodies;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * HubSpot webhooks, signature v3: base64(HMAC-SHA256(client secret, method + URL + body +
 * timestamp)) in {@code X-HubSpot-Signature-v3}, refused when {@code X-HubSpot-Request-Timestamp}
 * is further from now than the tolerance (replay protection). The body is an array of
 * subscription events; each event's {@code eventId} is its idempotency key.
 */
@ApplicationScoped
public class HubspotWebhook implements WebhookSource {
    private final WebhookSettings config;
    private final JsonBodies bodies;
    private final ObjectMapper mapper;
    private final Clock clock = Clock.systemUTC();

    public HubspotWebhook(WebhookSettings config, JsonBodies bodies, ObjectMapper mapper) {
        this.config = config;
        this.bodies = bodies;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "hubspot";
    }

    @Override
    public boolean configured(String tenant) {
        return secret(tenant).isPresent();
    }

    private Optional<String> secret(String tenant) {
        return config.tenant(tenant).flatMap(WebhookSettings.Tenant::hubspotClientSecret);
    }

    /** The v3 signature of a request; public so that tests and tools sign the same way. */
    public static String signature(String secret, String method, String url, byte[] body, String timestamp) {
        byte[] mac = Signatures.hmacSha256(secret, (method + url).getBytes(StandardCharsets.UTF_8), body,
                timestamp.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac);
    }

    @Override
    public List<ObjectNode> normalise(WebhookRequest request) {
        String timestamp = request.header("X-HubSpot-Request-Timestamp");
        long millis;
        try {
            millis = Long.parseLong(timestamp == null ? "" : timestamp.trim());
        } catch (NumberFormatException e) {
            throw WebhookProblems.badSignature("X-HubSpot-Request-Timestamp is missing or not epoch milliseconds");
        }
        if (Math.abs(clock.millis() - millis) > config.hubspotTolerance().toMillis()) {
            throw WebhookProblems.badSignature("X-HubSpot-Request-Timestamp is outside the allowed "
                    + config.hubspotTolerance().toMinutes() + " minutes");
        }
        String url = config.publicBaseUrl().map(base -> base.replaceAll("/+$", "") + request.uri().getRawPath()
                        + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()))
                .orElse(request.uri().toString());
        String expected = signature(secret(request.tenant()).orElseThrow(), request.method(), url, request.body(), timestamp.trim());
        if (!Signatures.matches(expected, request.header("X-HubSpot-Signature-v3"))) {
            throw WebhookProblems.badSignature("X-HubSpot-Signature-v3 does not match the request");
        }
        JsonNode body = bodies.read(request.body());
        if (!body.isArray()) {
            throw ProblemException.badRequest("a HubSpot webhook body is an array of events");
        }
        List<ObjectNode> events = new ArrayList<>();
        for (JsonNode item : body) {
            events.add(normalise(item));
        }
        return events;
    }

    ObjectNode normalise(JsonNode item) {
        ObjectNode out = mapper.createObjectNode();
        String subscription = Optional.ofNullable(Texts.text(item.get("subscriptionType"))).orElse("event");
        String objectType = subscription.contains(".") ? subscription.substring(0, subscription.indexOf('.')) : subscription;
        out.put("type", Texts.type("hubspot", subscription));
        out.put("source", "hubspot");
        if (Texts.text(item.get("eventId")) != null) {
            out.put("idempotencyKey", Texts.text(item.get("eventId")));
        }
        if (item.path("occurredAt").canConvertToLong()) {
            out.put("occurredAt", Instant.ofEpochMilli(item.get("occurredAt").asLong()).toString());
        }
        String objectId = Texts.text(item.get("objectId"));
        if (objectId != null) {
            ObjectNode entity = out.putObject("entity");
            Texts.put(entity, "type", objectType.toLowerCase(java.util.Locale.ROOT), 64);
            Texts.put(entity, "id", objectId, 128);
        }
        String property = Texts.text(item.get("propertyName"));
        if (property != null) {
            ObjectNode change = out.putObject("change");
            Texts.put(change, "field", property, 128);
            change.set("to", item.get("propertyValue"));
            Texts.put(out, "title", objectType + " " + objectId + ": " + property + " changed", 200);
        }
        if (item.isObject()) {
            out.set("payload", item.deepCopy());
        }
        return out;
    }
}
