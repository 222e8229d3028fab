package com.activityfeed.ingest.events;

import com.activityfeed.messages.Actor;
import com.activityfeed.messages.EntityRef;
import com.activityfeed.messages.FieldChange;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.Rfc3339;
import com.activityfeed.web.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one event object against every rule of SPEC §3 and sanitises its text. Pure: no I/O,
 * the clock is passed in. Faults are appended to a list so a request reports all of them at once.
 * Text limits count Unicode code points after sanitising (what a reader would see).
 */
public final class EventValidator {
    public static final Pattern TYPE = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");
    public static final Pattern TENANT = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    public static final Pattern TAG = Pattern.compile("^[a-z0-9:_-]{1,32}$");
    public static final int MAX_TAGS = 10;
    public static final int MAX_PAYLOAD_BYTES = 16 * 1024;
    public static final int MAX_ACTOR_ID = 128;
    public static final int MAX_NAME = 200;
    public static final int MAX_ENTITY_TYPE = 64;
    public static final int MAX_ENTITY_ID = 128;
    public static final int MAX_TITLE = 200;
    public static final int MAX_DESCRIPTION = 2000;
    public static final int MAX_SOURCE = 64;
    public static final int MAX_CORRELATION_ID = 128;
    public static final int MAX_CHANGE_FIELD = 128;
    public static final int MAX_IDEMPOTENCY_KEY = 128;
    public static final String DEFAULT_SOURCE = "api";

    static final Set<String> FIELDS = Set.of("type", "tenantId", "actor", "entity", "occurredAt", "title",
            "description", "source", "priority", "tags", "correlationId", "expiresAt", "change", "payload",
            "idempotencyKey");
    private static final Set<String> ACTOR_FIELDS = Set.of("id", "name");
    private static final Set<String> ENTITY_FIELDS = Set.of("type", "id", "name");
    private static final Set<String> CHANGE_FIELDS = Set.of("field", "from", "to");
    // C0 and C1 controls except tab and newline, which descriptions may keep.
    private static final Pattern CONTROL_MULTILINE = Pattern.compile("[\\p{Cc}&&[^\\t\\n]]");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

    private final Duration maxAhead;
    private final Duration maxBehind;

    public EventValidator(Duration maxAhead, Duration maxBehind) {
        this.maxAhead = maxAhead;
        this.maxBehind = maxBehind;
    }

    /** An event that passed every check: sanitised, defaults applied (tenantId null when absent). */
    public record Draft(String tenantId, String type, Actor actor, EntityRef entity, Instant occurredAt,
                        String title, String description, String source, Priority priority, List<String> tags,
                        String correlationId, Instant expiresAt, FieldChange change, ObjectNode payload,
                        String idempotencyKey) {
    }

    /**
     * Validates one event; returns null when it has faults, which are added to {@code errors}.
     *
     * @param index the event's position in a batch; null for a single event, whose faults carry
     *              index 0 (SPEC §3), so clients read every fault list the same way
     */
    public Draft validate(JsonNode node, Integer index, Instant now, List<Problem.FieldError> errors) {
        Faults f = new Faults(index == null ? 0 : index, errors);
        if (node == null || !node.isObject()) {
            f.add("", "each event must be a JSON object");
            return null;
        }
        int before = errors.size();
        unknownFields(node, FIELDS, "", f);

        String type = text(node, "type", "type", 64, true, false, IDENTIFIER, f);
        if (type != null && !TYPE.matcher(type).matches()) {
            f.add("type", "must match " + TYPE.pattern());
        }
        String tenantId = text(node, "tenantId", "tenantId", 63, false, false, IDENTIFIER, f);
        if (tenantId != null && !TENANT.matcher(tenantId).matches()) {
            f.add("tenantId", "must match " + TENANT.pattern());
        }
        Actor actor = null;
        JsonNode actorNode = present(node, "actor");
        if (actorNode != null) {
            if (!actorNode.isObject()) {
                f.add("actor", "must be an object");
            } else {
                unknownFields(actorNode, ACTOR_FIELDS, "actor.", f);
                actor = new Actor(text(actorNode, "id", "actor.id", MAX_ACTOR_ID, true, false, IDENTIFIER, f),
                        text(actorNode, "name", "actor.name", MAX_NAME, false, false, TEXT, f));
            }
        }
        EntityRef entity = null;
        JsonNode entityNode = present(node, "entity");
        if (entityNode != null) {
            if (!entityNode.isObject()) {
                f.add("entity", "must be an object");
            } else {
                unknownFields(entityNode, ENTITY_FIELDS, "entity.", f);
                entity = new EntityRef(text(entityNode, "type", "entity.type", MAX_ENTITY_TYPE, true, false, IDENTIFIER, f),
                        text(entityNode, "id", "entity.id", MAX_ENTITY_ID, true, false, IDENTIFIER, f),
                        text(entityNode, "name", "entity.name", MAX_NAME, false, false, TEXT, f));
            }
        }
        Instant occurredAt = time(node, "occurredAt", f);
        if (occurredAt != null) {
            if (occurredAt.isAfter(now.plus(maxAhead))) {
                f.add("occurredAt", "must not be more than " + human(maxAhead) + " in the future");
            } else if (occurredAt.isBefore(now.minus(maxBehind))) {
                f.add("occurredAt", "must not be more than " + human(maxBehind) + " in the past");
            }
        } else if (present(node, "occurredAt") == null) {
            occurredAt = now;
        }
        String title = text(node, "title", "title", MAX_TITLE, false, false, TEXT, f);
        String description = text(node, "description", "description", MAX_DESCRIPTION, false, true, TEXT, f);
        String source = text(node, "source", "source", MAX_SOURCE, false, false, IDENTIFIER, f);
        Priority priority = Priority.NORMAL;
        JsonNode priorityNode = present(node, "priority");
        if (priorityNode != null) {
            priority = priorityNode.isTextual() ? Priority.fromWire(priorityNode.asText()) : null;
            if (priority == null) {
                f.add("priority", "must be one of low, normal, high, urgent");
            }
        }
        List<String> tags = tags(node, f);
        String correlationId = text(node, "correlationId", "correlationId", MAX_CORRELATION_ID, false, false, IDENTIFIER, f);
        Instant expiresAt = time(node, "expiresAt", f);
        if (expiresAt != null && occurredAt != null && !expiresAt.isAfter(occurredAt)) {
            f.add("expiresAt", "must be after occurredAt");
        }
        FieldChange change = null;
        JsonNode changeNode = present(node, "change");
        if (changeNode != null) {
            if (!changeNode.isObject()) {
                f.add("change", "must be an object {field, from, to}");
            } else {
                unknownFields(changeNode, CHANGE_FIELDS, "change.", f);
                change = new FieldChange(text(changeNode, "field", "change.field", MAX_CHANGE_FIELD, true, false, IDENTIFIER, f),
                        changeNode.get("from"), changeNode.get("to"));
            }
        }
        ObjectNode payload = null;
        JsonNode payloadNode = present(node, "payload");
        if (payloadNode != null) {
            if (!payloadNode.isObject()) {
                f.add("payload", "must be a JSON object");
            } else {
                int size = serialisedSize(payloadNode);
                if (size > MAX_PAYLOAD_BYTES) {
                    f.add("payload", "must be at most " + MAX_PAYLOAD_BYTES + " bytes serialised, was " + size);
                }
                payload = (ObjectNode) payloadNode;
            }
        }
        String key = text(node, "idempotencyKey", "idempotencyKey", MAX_IDEMPOTENCY_KEY, false, false, IDENTIFIER, f);

        if (errors.size() > before) {
            return null;
        }
        return new Draft(tenantId, type, actor, entity, occurredAt, title, description,
                source == null ? DEFAULT_SOURCE : source, priority, tags, correlationId, expiresAt, change,
                payload, key);
    }

    /** Strips control characters (tab and newline survive where {@code multiline}) and trims. */
    public static String sanitise(String text, boolean multiline) {
        // Fast path: most text has no control characters; avoid the regex and its copies.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.getType(c) == Character.CONTROL && !(multiline && (c == '\t' || c == '\n'))) {
                return (multiline ? CONTROL_MULTILINE : CONTROL).matcher(text).replaceAll("").strip();
            }
        }
        return text.strip();
    }

    public static int serialisedSize(JsonNode node) {
        try {
            return MessageCodec.mapper().writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix, Faults f) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                f.add(prefix + name, "unknown field");
            }
        }
    }

    private static final boolean IDENTIFIER = true;
    private static final boolean TEXT = false;

    /**
     * A string field. Text is sanitised (controls stripped, trimmed); an identifier is never
     * rewritten, so a control character or surrounding whitespace in one is a fault.
     */
    private static String text(JsonNode node, String field, String path, int max, boolean required,
                               boolean multiline, boolean identifier, Faults f) {
        JsonNode value = present(node, field);
        if (value == null) {
            if (required) {
                f.add(path, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            f.add(path, "must be a string");
            return null;
        }
        String text = identifier ? value.asText() : sanitise(value.asText(), multiline);
        if (identifier && !text.isEmpty()) {
            if (text.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
                f.add(path, "must not contain control characters");
                return null;
            }
            if (text.isBlank()) {
                f.add(path, "must not be blank");
                return null;
            }
            if (!text.strip().equals(text)) {
                f.add(path, "must not start or end with whitespace");
                return null;
            }
        }
        if (text.isEmpty()) {
            f.add(path, "must not be blank");
            return null;
        }
        int length = text.codePointCount(0, text.length());
        if (length > max) {
            f.add(path, "must be at most " + max + " characters, was " + length);
            return null;
        }
        return text;
    }

    private static Instant time(JsonNode node, String field, Faults f) {
        JsonNode value = present(node, field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            f.add(field, "must be an RFC 3339 date-time string");
            return null;
        }
        Instant at = Rfc3339.parse(value.asText());
        if (at == null) {
            f.add(field, "must be an RFC 3339 date-time with seconds and offset, e.g. 2026-11-23T10:15:30Z");
        }
        return at;
    }

    private static List<String> tags(JsonNode node, Faults f) {
        JsonNode value = present(node, "tags");
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            f.add("tags", "must be an array of strings");
            return List.of();
        }
        if (value.size() > MAX_TAGS) {
            f.add("tags", "at most " + MAX_TAGS + " tags, was " + value.size());
        }
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode tag = value.get(i);
            if (!tag.isTextual() || !TAG.matcher(tag.asText()).matches()) {
                f.add("tags[" + i + "]", "must be a string matching " + TAG.pattern());
            } else if (!tags.contains(tag.asText())) {
                tags.add(tag.asText());
            }
        }
        return tags;
    }

    private static String human(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + " days";
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() + " minutes";
        }
        return d.toSeconds() + " seconds";
    }

    private record Faults(Integer index, List<Problem.FieldError> errors) {
        void add(String field, String message) {
            errors.add(new Problem.FieldError(index, field, message));
        }
    }
}
