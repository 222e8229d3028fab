package com.activityfeed.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One validated event on {@code activity.raw}, as ingest publishes it: every field of SPEC §3,
 * already sanitised and with defaults applied. Key = {@code tenantId}.
 *
 * @param v              message version, always {@link #VERSION}
 * @param id             UUIDv7, or a name-based UUID of (tenant, idempotencyKey)
 * @param receivedAt     when ingest accepted it; the start of delivery-latency measurement
 * @param idempotencyKey the producer's key, when it gave one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RawEvent(
        int v,
        UUID id,
        String tenantId,
        String type,
        Actor actor,
        EntityRef entity,
        Instant occurredAt,
        Instant receivedAt,
        String title,
        String description,
        String source,
        Priority priority,
        List<String> tags,
        String correlationId,
        Instant expiresAt,
        FieldChange change,
        ObjectNode payload,
        String idempotencyKey) {

    public static final int VERSION = 1;

    public RawEvent {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
