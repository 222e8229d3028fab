package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.JsonBodies;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CloudEvents 1.0 over HTTP: structured mode ({@code application/cloudevents+json}), batched mode
 * ({@code application/cloudevents-batch+json}) and binary mode ({@code ce-*} headers, the body is
 * the data). The caller authenticates with a JWT (checked by the resource); {@code id} is the
 * idempotency key, {@code time} the event's time, {@code subject} its entity.
 */
@ApplicationScoped
public class CloudEventsWebhook implements WebhookSource {
    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";

    private final JsonBodies bodies;
    private final ObjectMapper mapper;

    public CloudEventsWebhook(JsonBodies bodies, ObjectMapper mapper) {
        this.bodies = bodies;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "cloudevents";
    }

    @Override
    public boolean configured(String tenant) {
        return true; // authorised by token, not by a per-tenant secret
    }

    @Override
    public List<ObjectNode> normalise(WebhookRequest request) {
        String media = request.mediaType();
        List<ObjectNode> events = new ArrayList<>();
        if (media.equals(STRUCTURED)) {
            JsonNode event = bodies.read(request.body());
            events.add(fromStructured(event, null));
        } else if (media.equals(BATCH)) {
            JsonNode batch = bodies.read(request.body());
            if (!batch.isArray()) {
                throw ProblemException.badRequest("a CloudEvents batch is a JSON array of events");
            }
            for (int i = 0; i < batch.size(); i++) {
                events.add(fromStructured(batch.get(i), i));
            }
        } else {
            events.add(fromBinary(request));
        }
        return events;
    }

    private ObjectNode fromStructured(JsonNode event, Integer index) {
        String where = index == null ? "" : " (event " + index + ")";
        if (!event.isObject()) {
            throw ProblemException.badRequest("a CloudEvent is a JSON object" + where);
        }
        requireAttributes(Texts.text(event.get("specversion")), Texts.text(event.get("id")),
                Texts.text(event.get("source")), Texts.text(event.get("type")), where);
        JsonNode data = event.get("data");
        if (data == null && event.hasNonNull("data_base64")) {
            data = event.get("data_base64");
        }
        return toEvent(Texts.text(event.get("id")), Texts.text(event.get("source")), Texts.text(event.get("type")),
                Texts.text(event.get("time")), Texts.text(event.get("subject")), Texts.text(event.get("dataschema")), data);
    }

    private ObjectNode fromBinary(WebhookRequest request) {
        String specversion = request.header("ce-specversion");
        if (specversion == null) {
            throw new ProblemException(com.activityfeed.web.Problem.of(415, "Unsupported media type",
                    "send application/cloudevents+json, application/cloudevents-batch+json, or binary mode with ce-* headers"), null);
        }
        requireAttributes(specversion, request.header("ce-id"), request.header("ce-source"), request.header("ce-type"), "");
        JsonNode data = null;
        if (request.body().length > 0) {
            String media = request.mediaType();
            data = media.equals("application/json") || media.endsWith("+json")
                    ? bodies.read(request.body())
                    : mapper.getNodeFactory().textNode(new String(request.body(), StandardCharsets.UTF_8));
        }
        return toEvent(request.header("ce-id"), request.header("ce-source"), request.header("ce-type"),
                request.header("ce-time"), request.header("ce-subject"), request.header("ce-dataschema"), data);
    }

    private static void requireAttributes(String specversion, String id, String source, String type, String where) {
        if (!"1.0".equals(specversion)) {
            throw ProblemException.badRequest("specversion must be 1.0" + where);
        }
        if (id == null || id.isEmpty() || source == null || source.isEmpty() || type == null || type.isEmpty()) {
            throw ProblemException.badRequest("id, source and type are required CloudEvents attributes" + where);
        }
    }

    private ObjectNode toEvent(String id, String source, String type, String time, String subject, String dataschema,
                               JsonNode data) {
        ObjectNode out = mapper.createObjectNode();
        // The CloudEvents type is the event type; one that breaks the type rule is reported by validation.
        out.put("type", type.toLowerCase(Locale.ROOT));
        out.put("source", "cloudevents");
        out.put("idempotencyKey", id);
        if (time != null) {
            out.put("occurredAt", time);
        }
        if (subject != null) {
            ObjectNode entity = out.putObject("entity");
            entity.put("type", "subject");
            Texts.put(entity, "id", subject, 128);
        }
        ObjectNode payload = out.putObject("payload");
        ObjectNode ce = payload.putObject("cloudevent");
        ce.put("id", id).put("source", source);
        if (subject != null) {
            ce.put("subject", subject);
        }
        if (dataschema != null) {
            ce.put("dataschema", dataschema);
        }
        if (data != null) {
            payload.set("data", data);
        }
        return out;
    }
}
