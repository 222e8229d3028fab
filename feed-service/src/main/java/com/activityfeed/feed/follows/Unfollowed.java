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

/** An explicit unfollow (table {@code follow_unfollowed}): participating never follows that target again. */
@Entity
@Table(name = "follow_unfollowed")
@IdClass(Unfollowed.Key.class)
public class Unfollowed extends PanacheEntityBase {
    @Id
    @Column(name = "tenant_id")
    public String tenantId;
    @Id
    @Column(name = "user_id")
    public String userId;
    @Id
    @Column(name = "term")
    public String term;
    @Column(name = "unfollowed_at", nullable = false)
    public Instant unfollowedAt;

    public static class Key implements Serializable {
        public String tenantId;
        public String userId;
        public String term;

        public Key() {
        }

        public Key(String tenantId, String userId, String term) {
            this.tenantId = tenantId;
            this.userId = userId;
            this.term = term;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tenantId, k.tenantId) && Objects.equals(userId, k.userId)
                    && Objects.equals(term, k.term);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, userId, term);
        }
    }
}
