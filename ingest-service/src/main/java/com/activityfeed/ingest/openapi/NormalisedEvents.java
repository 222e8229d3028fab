package com.activityfeed.ingest.openapi;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * A webhook's dry-run answer: the events it would publish, as they go on {@code activity.raw}
 * ({@code RawEvent}, whose absent fields are left out). For the API description only; the answer
 * is the message record itself, which lives in a module without OpenAPI annotations.
 */
@Schema(name = "NormalisedEvents")
public record NormalisedEvents(@Schema(required = true) List<Normalised> events) {

    @Schema(name = "NormalisedEvent")
    public record Normalised(
            @Schema(required = true, description = "message version") int v,
            @Schema(required = true, format = "uuid", description = "name-based on (tenant, idempotencyKey)") String id,
            @Schema(required = true) String tenantId,
            @Schema(required = true) String type,
            Actor actor,
            Entity entity,
            @Schema(required = true, format = "date-time") String occurredAt,
            @Schema(format = "date-time") String receivedAt,
            String title,
            String description,
            String source,
            @Schema(enumeration = {"low", "normal", "high", "urgent"}) String priority,
            @Schema(required = true) List<String> tags,
            String correlationId,
            @Schema(format = "date-time") String expiresAt,
            Change change,
            Map<String, Object> payload,
            String idempotencyKey) {
    }

    @Schema(name = "NormalisedActor")
    public record Actor(@Schema(required = true) String id, @Schema(required = true, nullable = true) String name) {
    }

    @Schema(name = "NormalisedEntity")
    public record Entity(@Schema(required = true) String type, @Schema(required = true) String id,
                         @Schema(required = true, nullable = true) String name) {
    }

    @Schema(name = "NormalisedChange", description = "a field's old and new value")
    public record Change(@Schema(required = true, nullable = true) String field,
                         @Schema(required = true, description = "any JSON value") Object from,
                         @Schema(required = true, description = "any JSON value") Object to) {
    }
}
