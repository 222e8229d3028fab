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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * HubSpot webhooks, signature v3: base64(HMAC-SHA256(client secret, method + URL + body +
 * timestamp)) in {@code X-HubSpot-Signature-v3}, refused when {@code X-HubSpot-Request-Timestamp}
 * is further from now than the tolerance (replay protection). The body is an array of
 * subscription events; each event's {@code eventId} is its idempotency key (HubSpot does not
 * promise it unique: a repeat inside one delivery is skipped, the first wins). Titles name the
 * object ("Deal Acme moved to closedwon", "Contact Ada Lovelace created") when the delivery also
 * carries a change of its name property, else its id.
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
        for (JsonNode item : body) {
            if (!item.isObject()) {
                throw ProblemException.badRequest("each HubSpot event is a JSON object");
            }
        }
        Map<String, String> names = names(body);
        List<ObjectNode> events = new ArrayList<>();
        for (JsonNode item : body) {
            events.add(normalise(item, names));
        }
        return events;
    }

    /** HubSpot's object type ids of the generic {@code object.*} subscriptions. */
    private static final Map<String, String> OBJECT_TYPES = Map.of("0-1", "contact", "0-2", "company", "0-3", "deal",
            "0-5", "ticket", "0-7", "product", "0-8", "line_item", "0-47", "meeting", "0-48", "call", "0-27", "task",
            "0-136", "lead");
    /** The properties that name an object of each type, in order of preference. */
    private static final Map<String, List<String>> NAME_PROPERTIES = Map.of(
            "contact", List.of("firstname", "lastname", "email"),
            "company", List.of("name", "domain"),
            "deal", List.of("dealname"),
            "ticket", List.of("subject", "hs_ticket_name"),
            "product", List.of("name"),
            "line_item", List.of("name"),
            "lead", List.of("hs_lead_name"));

    /**
     * Names of the objects that a delivery mentions, from property changes of their name
     * properties in the same delivery (a creation usually comes with them): the creation event
     * itself carries only the object's id.
     */
    static Map<String, String> names(JsonNode body) {
        Map<String, Map<String, String>> properties = new HashMap<>();
        for (JsonNode item : body) {
            String property = Texts.text(item.get("propertyName"));
            String value = Texts.text(item.get("propertyValue"));
            if (property != null && value != null && !value.isBlank()) {
                properties.computeIfAbsent(objectType(item) + ":" + Texts.text(item.get("objectId")), k -> new HashMap<>())
                        .putIfAbsent(property, value.strip());
            }
        }
        Map<String, String> names = new HashMap<>();
        properties.forEach((key, values) -> {
            String type = key.substring(0, key.indexOf(':'));
            List<String> wanted = NAME_PROPERTIES.getOrDefault(type, List.of("name"));
            String name;
            if (type.equals("contact") && (values.containsKey("firstname") || values.containsKey("lastname"))) {
                name = (Objects.toString(values.get("firstname"), "") + " " + Objects.toString(values.get("lastname"), "")).strip();
            } else {
                name = wanted.stream().map(values::get).filter(Objects::nonNull).findFirst().orElse(null);
            }
            if (name != null && !name.isBlank()) {
                names.put(key, name);
            }
        });
        return names;
    }

    /** contact of {@code contact.creation}; the mapped objectTypeId of {@code object.creation}. */
    static String objectType(JsonNode item) {
        String subscription = Objects.toString(Texts.text(item.get("subscriptionType")), "event");
        String prefix = subscription.contains(".") ? subscription.substring(0, subscription.indexOf('.')) : subscription;
        if (prefix.equals("object")) {
            String typeId = Texts.text(item.get("objectTypeId"));
            return typeId == null ? "object" : OBJECT_TYPES.getOrDefault(typeId, "object_" + typeId.replace('-', '_'));
        }
        return prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    ObjectNode normalise(JsonNode item) {
        return normalise(item, Map.of());
    }

    ObjectNode normalise(JsonNode item, Map<String, String> names) {
        ObjectNode out = mapper.createObjectNode();
        String subscription = Optional.ofNullable(Texts.text(item.get("subscriptionType"))).orElse("event");
        String objectType = objectType(item);
        String change = subscription.contains(".") ? subscription.substring(subscription.indexOf('.') + 1) : subscription;
        out.put("type", Texts.type("hubspot", objectType, change));
        out.put("source", "hubspot");
        if (Texts.text(item.get("eventId")) != null) {
            out.put("idempotencyKey", Texts.text(item.get("eventId")));
        }
        if (item.path("occurredAt").canConvertToLong()) {
            out.put("occurredAt", Instant.ofEpochMilli(item.get("occurredAt").asLong()).toString());
        }
        String sourceId = Texts.text(item.get("sourceId"));
        if (sourceId != null && !sourceId.isBlank()) {
            ObjectNode actor = out.putObject("actor");
            Texts.put(actor, "id", sourceId, 128);
        }
        String objectId = Texts.text(item.get("objectId"));
        String name = names.get(objectType + ":" + objectId);
        String label = Character.toUpperCase(objectType.charAt(0)) + objectType.substring(1).replace('_', ' ');
        String thing = label + " " + (name != null ? name : objectId);
        if (objectId != null) {
            ObjectNode entity = out.putObject("entity");
            Texts.put(entity, "type", objectType, 64);
            Texts.put(entity, "id", objectId, 128);
            Texts.put(entity, "name", name, 200);
        }
        String property = Texts.text(item.get("propertyName"));
        String value = Texts.text(item.get("propertyValue"));
        if (property != null) {
            ObjectNode changed = out.putObject("change");
            Texts.put(changed, "field", property, 128);
            changed.set("to", item.get("propertyValue"));
        }
        String title = switch (change.toLowerCase(Locale.ROOT)) {
            case "creation" -> thing + " created";
            case "deletion" -> thing + " deleted";
            case "privacydeletion" -> thing + " deleted for privacy";
            case "restore" -> thing + " restored";
            case "merge" -> label + " " + Texts.text(item.get("primaryObjectId")) + " merged with "
                    + item.path("mergedObjectIds").size() + " more";
            case "associationchange" -> label + " " + Texts.text(item.get("fromObjectId"))
                    + (item.path("associationRemoved").asBoolean() ? " unlinked from " : " linked to ")
                    + Objects.toString(Texts.text(item.get("associationType")), "an object").toLowerCase(Locale.ROOT).replace('_', ' ')
                    + " " + Texts.text(item.get("toObjectId"));
            case "propertychange" -> STAGES.contains(property)
                    ? thing + " moved to " + (value == null || value.isBlank() ? "no stage" : value)
                    : thing + ": " + property + (value == null || value.isBlank() ? " cleared" : " set to " + value);
            default -> thing + " " + change;
        };
        Texts.put(out, "title", title, 200);
        if (item.isObject()) {
            out.set("payload", item.deepCopy());
        }
        return out;
    }

    /** Properties whose change is a move along a pipeline. */
    private static final java.util.Set<String> STAGES = java.util.Set.of("dealstage", "lifecyclestage", "hs_pipeline_stage",
            "hs_lead_status");
}
