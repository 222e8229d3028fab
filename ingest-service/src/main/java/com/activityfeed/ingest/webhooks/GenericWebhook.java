package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.JsonBodies;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Any JSON webhook, mapped to events by per-tenant JSON-pointer rules from configuration and
 * signed like GitHub's ({@code X-Signature-256: sha256=<hex HMAC-SHA256 of the body>}).
 * The mapping is checked at start-up ({@link WebhookSettings}), not at the first request.
 */
@ApplicationScoped
public class GenericWebhook implements WebhookSource {
    private final WebhookSettings settings;
    private final JsonBodies bodies;
    private final ObjectMapper mapper;

    public GenericWebhook(WebhookSettings settings, JsonBodies bodies, ObjectMapper mapper) {
        this.settings = settings;
        this.bodies = bodies;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public boolean configured(String tenant) {
        return mapping(tenant).isPresent();
    }

    private Optional<WebhookSettings.Generic> mapping(String tenant) {
        return settings.tenant(tenant).flatMap(WebhookSettings.Tenant::generic);
    }

    @Override
    public List<ObjectNode> normalise(WebhookRequest request) {
        WebhookSettings.Generic mapping = mapping(request.tenant()).orElseThrow();
        if (!Signatures.matches(Signatures.sha256Header(mapping.secret(), request.body()), request.header("X-Signature-256"))) {
            throw WebhookProblems.badSignature("X-Signature-256 does not match the body");
        }
        JsonNode body = bodies.read(request.body());
        List<JsonNode> items = new ArrayList<>();
        if (mapping.items().isPresent()) {
            JsonNode array = body.at(mapping.items().get());
            if (!array.isArray()) {
                throw ProblemException.badRequest("the body has no array at " + mapping.items().get());
            }
            array.forEach(items::add);
        } else {
            items.add(body);
        }
        List<ObjectNode> events = new ArrayList<>();
        for (JsonNode item : items) {
            events.add(map(item, mapping.fields(), mapping.constants()));
        }
        return events;
    }

    ObjectNode map(JsonNode item, Map<String, String> fields, Map<String, String> constants) {
        ObjectNode out = mapper.createObjectNode();
        out.put("source", "webhook");
        for (String field : WebhookSettings.GENERIC_FIELDS) {
            JsonNode value = fields.containsKey(field) ? item.at(fields.get(field)) : null;
            if (value == null || value.isMissingNode() || value.isNull()) {
                value = constants.containsKey(field) ? mapper.getNodeFactory().textNode(constants.get(field)) : null;
            }
            if (value != null) {
                set(out, field, value);
            }
        }
        return out;
    }
    /** Sets one mapped value; scalars become text where the event wants text (ids are often numbers). */
    private static void set(ObjectNode out, String field, JsonNode value) {
        JsonNode text = value.isValueNode() ? out.textNode(value.asText()) : value;
        switch (field) {
            case "actor-id" -> out.withObject("/actor").set("id", text);
            case "actor-name" -> out.withObject("/actor").set("name", text);
            case "entity-type" -> out.withObject("/entity").set("type", text);
            case "entity-id" -> out.withObject("/entity").set("id", text);
            case "entity-name" -> out.withObject("/entity").set("name", text);
            case "tags", "payload" -> out.set(field, value);
            default -> out.set(camel(field), text);
        }
    }

    private static String camel(String field) {
        int dash = field.indexOf('-');
        return dash < 0 ? field : field.substring(0, dash) + Character.toUpperCase(field.charAt(dash + 1)) + field.substring(dash + 2);
    }
}
