package com.activityfeed.social.erasure;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An erasure social-service has done: the request id and when; never what was erased (V20). */
@Entity
@Table(name = "erasure_applied")
public class ErasureApplied extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "applied_at", nullable = false)
    public Instant appliedAt;
}
