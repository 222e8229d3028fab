package com.activityfeed.feed.read;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/**
 * A user's read watermark (table {@code read_watermark}, migration V4): every tile whose content
 * sequence is at or below {@link #seq} is read. Never leaves {@link ReadStateRepository}.
 */
@Entity
@Table(name = "read_watermark")
@IdClass(ReadWatermark.Key.class)
public class ReadWatermark extends PanacheEntityBase {
    @Id
    @Column(name = "tenant_id")
    public String tenantId;
    @Id
    @Column(name = "user_id")
    public String userId;
    @Column(nullable = false)
    public long seq;

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
