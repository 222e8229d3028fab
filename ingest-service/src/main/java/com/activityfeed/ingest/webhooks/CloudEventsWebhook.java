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
 * the data). The caller authenticates with a JWT (checked by the resource). The pair
 * {@code source} + {@code id} is the identity (and gives the idempotency key), {@code time} the
 * event's time, {@code subject} its entity, named after the type ({@code order} of
 * {@code com.example.order.shipped}). Every context attribute, {@code datacontenttype} and
 * extensions included, is kept in {@code payload.cloudevent}; data in {@code payload.data}, or
 * {@code payload.data_base64} when it is binary.
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

    /** Context attributes of CloudEvents 1.0; anything else at the top level is an extension. */
    private static final java.util.Set<String> CONTEXT = java.util.Set.of("specversion", "id", "source", "type",
            "subject", "time", "dataschema", "datacontenttype", "data", "data_base64");

    private ObjectNode fromStructured(JsonNode event, Integer index) {
        String where = index == null ? "" : " (event " + index + ")";
        if (!event.isObject()) {
            throw ProblemException.badRequest("a CloudEvent is a JSON object" + where);
        }
        requireAttributes(Texts.text(event.get("specversion")), Texts.text(event.get("id")),
                Texts.text(event.get("source")), Texts.text(event.get("type")), where);
        ObjectNode attributes = mapper.createObjectNode();
        event.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("data") && !field.getKey().equals("data_base64")) {
                attributes.set(field.getKey(), field.getValue());
            }
        });
        ObjectNode out = toEvent(attributes);
        ObjectNode payload = (ObjectNode) out.get("payload");
        if (event.has("data")) {
            payload.set("data", event.get("data"));
        } else if (event.hasNonNull("data_base64")) {
            // Binary data stays as the sender encoded it; datacontenttype (kept above) says what it is.
            payload.set("data_base64", event.get("data_base64"));
        }
        return out;
    }

    private ObjectNode fromBinary(WebhookRequest request) {
        String specversion = request.header("ce-specversion");
        if (specversion == null) {
            throw new ProblemException(com.activityfeed.web.Problem.of(415, "Unsupported media type",
                    "send application/cloudevents+json, application/cloudevents-batch+json, or binary mode with ce-* headers"), null);
        }
        requireAttributes(specversion, request.header("ce-id"), request.header("ce-source"), request.header("ce-type"), "");
        ObjectNode attributes = mapper.createObjectNode();
        request.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("ce-") && lower.length() > 3 && !values.isEmpty()) {
                // Header values are percent-encoded where they are not printable ASCII (HTTP binding 3.1.3.2).
                attributes.put(lower.substring(3), percentDecode(values.getFirst()));
            }
        });
        if (request.contentType() != null && !request.contentType().isBlank()) {
            attributes.put("datacontenttype", request.contentType());
        }
        ObjectNode out = toEvent(attributes);
        ObjectNode payload = (ObjectNode) out.get("payload");
        byte[] body = request.body();
        if (body.length > 0) {
            String media = request.mediaType();
            if (media.equals("application/json") || media.endsWith("+json")) {
                payload.set("data", bodies.read(body));
            } else if (media.startsWith("text/") && com.activityfeed.web.StrictUtf8.fault(body) == null) {
                payload.put("data", new String(body, StandardCharsets.UTF_8));
            } else {
                // Anything else is kept byte for byte; decoding it as text would corrupt it.
                payload.put("data_base64", java.util.Base64.getEncoder().encodeToString(body));
            }
        }
        return out;
    }

    private static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        byte[] decoded = GithubWebhook.formDecodeStrict(raw);
        return decoded == null ? value : new String(decoded, StandardCharsets.UTF_8);
    }

    private static void requireAttributes(String specversion, String id, String source, String type, String where) {
        if (!"1.0".equals(specversion)) {
            throw ProblemException.badRequest("specversion must be 1.0" + where);
        }
        if (id == null || id.isEmpty() || source == null || source.isEmpty() || type == null || type.isEmpty()) {
            throw ProblemException.badRequest("id, source and type are required CloudEvents attributes" + where);
        }
    }

    /**
     * The identity of a CloudEvent is its {@code source} and {@code id} together (CloudEvents 1.0,
     * 3.1.1): the key hashes both, so equal ids from two sources are two events.
     */
    static String key(String source, String id) {
        byte[] digest;
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(source.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            digest = sha.digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return "ce-" + java.util.HexFormat.of().formatHex(digest);
    }

    /** A CloudEvents type as an event type: lower case, other characters as '_', starting with a letter. */
    static String eventType(String type) {
        String clean = type.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_");
        if (!Character.isLetter(clean.charAt(0)) || clean.charAt(0) > 'z') {
            clean = "ce." + clean;
        }
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }

    /** "order" from {@code com.example.order.shipped}; "event" when the type has one segment. */
    static String thing(String type) {
        String[] parts = type.split("\\.");
        String part = parts.length >= 2 ? parts[parts.length - 2] : "event";
        String clean = part.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
        return clean.isEmpty() ? "event" : clean;
    }

    private ObjectNode toEvent(ObjectNode attributes) {
        String id = Texts.text(attributes.get("id"));
        String source = Texts.text(attributes.get("source"));
        String type = Texts.text(attributes.get("type"));
        String subject = Texts.text(attributes.get("subject"));
        ObjectNode out = mapper.createObjectNode();
        out.put("type", eventType(type));
        out.put("source", "cloudevents");
        out.put("idempotencyKey", key(source, id));
        if (Texts.text(attributes.get("time")) != null) {
            out.put("occurredAt", Texts.text(attributes.get("time")));
        }
        String thing = thing(type);
        if (subject != null && !subject.isBlank()) {
            ObjectNode entity = out.putObject("entity");
            Texts.put(entity, "type", thing, 64);
            Texts.put(entity, "id", subject, 128);
            Texts.put(entity, "name", subject, 200);
        }
        Texts.put(out, "title", title(type, subject, source), 200);
        ObjectNode payload = out.putObject("payload");
        payload.set("cloudevent", attributes);
        return out;
    }

    /** "Order shipped: order-42" from type {@code com.example.order.shipped} and subject {@code order-42}. */
    static String title(String type, String subject, String source) {
        String[] parts = type.split("\\.");
        String what = parts.length >= 2 ? parts[parts.length - 2] + " " + parts[parts.length - 1] : parts[0];
        what = what.replaceAll("[_-]+", " ").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT).strip();
        if (what.isEmpty()) {
            what = type;
        }
        what = Character.toUpperCase(what.charAt(0)) + what.substring(1);
        return subject != null && !subject.isBlank() ? what + ": " + subject : what + " from " + source;
    }
}
