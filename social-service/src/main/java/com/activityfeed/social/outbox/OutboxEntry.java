package com.activityfeed.social.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/**
 * A {@code social.updates} message committed with its change and not yet acknowledged by Kafka (V2).
 * Written here; read, sent and deleted by the platform's relay ({@code OutboxRelay}, plain JDBC
 * shared by every service's outbox).
 */
@Entity
@Table(name = "outbox")
public class OutboxEntry extends PanacheEntityBase {
    /** {@code bigserial}: the relay sends a tenant's rows in this order. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "position")
    public Long position;

    @Column(name = "id", nullable = false, unique = true)
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "message", nullable = false)
    public String message;

    /** The W3C trace context of the request that wrote the update, or null; the relay's send continues it. */
    @Column(name = "traceparent")
    public String traceparent;
}
