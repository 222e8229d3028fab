package com.activityfeed.feed.follows;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One follow of one user (table {@code follow}, migration V70). Never leaves {@link FollowService}. */
@Entity
@Table(name = "follow")
public class Follow extends PanacheEntityBase {
    public static final String MANUAL = "manual";
    public static final String PARTICIPATING = "participating";

    @Id
    public UUID id;
    @Column(name = "tenant_id", nullable = false)
    public String tenantId;
    @Column(name = "user_id", nullable = false)
    public String userId;
    @Column(nullable = false)
    public String kind;
    @Column(name = "actor_id")
    public String actorId;
    @Column(name = "entity_type")
    public String entityType;
    @Column(name = "entity_id")
    public String entityId;
    @Column(name = "type")
    public String type;
    /** The target as a tile term: what the feed's filter and the stream compare with. */
    @Column(nullable = false)
    public String term;
    @Column(nullable = false)
    public String origin;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    FollowTarget target() {
        return new FollowTarget(kind, actorId, entityType, entityId, type);
    }
}
