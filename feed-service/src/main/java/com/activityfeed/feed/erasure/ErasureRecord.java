package com.activityfeed.feed.erasure;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One erasure request and its progress: who asked, when, and when each service was done. It never
 * says what was erased. The table belongs to Flyway (V80); Hibernate only validates it.
 */
@Entity
@Table(name = "erasure_request")
public class ErasureRecord extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    /** {@code user} or {@code tenant}. */
    @Column(nullable = false)
    public String scope;

    /** Null for a whole tenant. */
    @Column(name = "user_id")
    public String userId;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "feed_done_at")
    public Instant feedDoneAt;

    @Column(name = "social_done_at")
    public Instant socialDoneAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    public boolean done() {
        return completedAt != null;
    }

    /** Sets {@link #completedAt} once every service is done. */
    void completeIfAllDone() {
        if (completedAt == null && feedDoneAt != null && socialDoneAt != null) {
            completedAt = feedDoneAt.isAfter(socialDoneAt) ? feedDoneAt : socialDoneAt;
        }
    }
}
