package com.activityfeed.feed.events;

import com.activityfeed.feed.tiles.TileRows;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the append-only event log as the consumer writes it: the columns the feed filters and
 * joins on, and the whole event as {@code body}. {@code pos}, {@code stored_at} and {@code expired}
 * keep their table defaults. The table belongs to Flyway (V1); Hibernate only validates it. Written
 * in batches by {@link EventWriter}; read by {@link EventLogRepository}.
 */
@Entity
@Table(name = "event")
public class StoredEvent {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String source;

    @Column(nullable = false)
    public String priority;

    @Column(name = "actor_id")
    public String actorId;

    @Column(name = "actor_name")
    public String actorName;

    @Column(name = "entity_type")
    public String entityType;

    @Column(name = "entity_id")
    public String entityId;

    @Column(name = "entity_name")
    public String entityName;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public String[] tags;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** The tile the event is shown in: its own, or the group it joined. */
    @Column(name = "tile_id")
    public UUID tileId;

    /** The event as consumed ({@link MessageCodec}), so the log and a rebuild read it back whole. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String body;

    /** The row of event {@code e} of tenant {@code tenant}, shown in tile {@code tileId}. */
    public static StoredEvent of(String tenant, RawEvent e, UUID tileId) {
        StoredEvent row = new StoredEvent();
        row.id = e.id();
        row.tenantId = tenant;
        row.type = e.type();
        row.source = TileRows.source(e);
        row.priority = TileRows.priority(e);
        if (e.actor() != null) {
            row.actorId = e.actor().id();
            row.actorName = e.actor().name();
        }
        if (e.entity() != null) {
            row.entityType = e.entity().type();
            row.entityId = e.entity().id();
            row.entityName = e.entity().name();
        }
        row.tags = e.tags().toArray(String[]::new);
        row.occurredAt = e.occurredAt();
        row.receivedAt = e.receivedAt() == null ? e.occurredAt() : e.receivedAt();
        row.expiresAt = e.expiresAt();
        row.tileId = tileId;
        row.body = MessageCodec.write(e);
        return row;
    }
}
