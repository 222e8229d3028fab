package com.activityfeed.feed.follows;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A user's follows as a whole (table {@code follow_owner}): the row every change of them locks
 * first, so the 5 000 limit holds across requests and replicas, and whose {@code changedAt}
 * every replica polls to reload the follows of its open {@code following=true} streams.
 */
@Entity
@Table(name = "follow_owner")
@IdClass(FollowOwner.Key.class)
public class FollowOwner extends PanacheEntityBase {
    @Id
    @Column(name = "tenant_id")
    public String tenantId;
    @Id
    @Column(name = "user_id")
    public String userId;
    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    public static class Key implements Serializable {
        public String tenantId;
        public String userId;

        public Key() {
        }

        public Key(String tenantId, String userId) {
            this.tenantId = tenantId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tenantId, k.tenantId) && Objects.equals(userId, k.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, userId);
        }
    }
}
