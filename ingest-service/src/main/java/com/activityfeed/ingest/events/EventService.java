package com.activityfeed.ingest.events;

import com.activityfeed.ingest.publish.EventPublisher;
import com.activityfeed.messages.Actor;
import com.activityfeed.messages.EntityRef;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.web.Caller;
import com.activityfeed.web.Problem;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Turns a request body into validated events and publishes them (walking skeleton: single events). */
@ApplicationScoped
public class EventService {
    private final EventPublisher publisher;

    public EventService(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public Accepted accept(Caller caller, JsonNode body, String idempotencyKey) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String type = body.path("type").asText("");
        if (!type.matches("^[a-z][a-z0-9_.-]{0,63}$")) {
            errors.add(new Problem.FieldError(null, "type", "must match ^[a-z][a-z0-9_.-]{0,63}$"));
        }
        Instant occurredAt = Instant.now();
        if (body.hasNonNull("occurredAt")) {
            try {
                occurredAt = Instant.parse(body.get("occurredAt").asText());
            } catch (DateTimeParseException e) {
                errors.add(new Problem.FieldError(null, "occurredAt", "must be an RFC 3339 time"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        JsonNode actor = body.path("actor");
        JsonNode entity = body.path("entity");
        String key = body.hasNonNull("idempotencyKey") ? body.get("idempotencyKey").asText() : idempotencyKey;
        UUID id = key == null ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes((caller.tenant() + "\n" + key).getBytes(StandardCharsets.UTF_8));
        RawEvent event = new RawEvent(RawEvent.VERSION, id, caller.tenant(), type,
                actor.isObject() ? new Actor(actor.path("id").asText(null), actor.path("name").asText(null)) : null,
                entity.isObject() ? new EntityRef(entity.path("type").asText(null), entity.path("id").asText(null),
                        entity.path("name").asText(null)) : null,
                occurredAt, Instant.now(), null, null, "api", Priority.NORMAL, List.of(), null, null, null,
                body.path("payload").isObject() ? (ObjectNode) body.get("payload") : null, key);
        publisher.publish(List.of(event));
        return new Accepted(List.of(new Accepted.Item(id, key)));
    }

    public record Accepted(List<Item> events) {
        public record Item(UUID id, String idempotencyKey) {
        }
    }
}
