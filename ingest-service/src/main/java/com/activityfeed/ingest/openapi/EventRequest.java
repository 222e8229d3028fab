package com.activityfeed.ingest.openapi;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * The shape of one posted event (SPEC §3), for the API description and generated clients. The
 * body itself is read strictly by {@code JsonBodies} and {@code EventValidator} (unknown fields,
 * wrong types and invalid UTF-8 are refused), which is why the resource takes bytes.
 */
@Schema(name = "Event", description = "One activity event", additionalProperties = Schema.False.class)
public record EventRequest(
        @Schema(required = true, pattern = "^[a-z][a-z0-9_.-]{0,63}$") String type,
        @Schema(description = "only with role platform; otherwise absent or the token's tenant") String tenantId,
        Actor actor,
        Entity entity,
        @Schema(format = "date-time", description = "default now; at most 5 min ahead, 30 days behind") String occurredAt,
        @Schema(maxLength = 200) String title,
        @Schema(maxLength = 2000) String description,
        @Schema(maxLength = 64, defaultValue = "api") String source,
        @Schema(enumeration = {"low", "normal", "high", "urgent"}, defaultValue = "normal") String priority,
        @Schema(maxItems = 10, description = "each ^[a-z0-9:_-]{1,32}$") List<String> tags,
        @Schema(maxLength = 128) String correlationId,
        @Schema(format = "date-time", description = "after occurredAt; expired events leave the feed") String expiresAt,
        Change change,
        @Schema(description = "any JSON object, at most 16 KiB serialised") Map<String, Object> payload,
        @Schema(maxLength = 128) String idempotencyKey) {

    @Schema(name = "EventActor")
    public record Actor(@Schema(maxLength = 128) String id, @Schema(maxLength = 200) String name) {
    }

    @Schema(name = "EventEntity")
    public record Entity(@Schema(maxLength = 64) String type, @Schema(maxLength = 128) String id,
                         @Schema(maxLength = 200) String name) {
    }

    @Schema(name = "EventChange", description = "a field's old and new value")
    public record Change(String field, Object from, Object to) {
    }

    /** A batch: all or nothing, at most 500 events. */
    @Schema(name = "EventBatch", additionalProperties = Schema.False.class)
    public record Batch(@Schema(required = true, minItems = 1, maxItems = 500) List<EventRequest> events) {
    }
}
