package com.activityfeed.feed.read;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/**
 * One tile a user read above their {@link ReadWatermark} (table {@code tile_read}, migration V4):
 * read at {@link #contentSeq}, so the tile is unread again once its content moves past it. Never
 * leaves {@link ReadStateRepository}; the unread count itself is a hot-path query of
 * {@code TileQueries}.
 */
@Entity
@Table(name = "tile_read")
@IdClass(TileRead.Key.class)
public class TileRead extends PanacheEntityBase {
    @Id
    @Column(name = "tenant_id")
    public String tenantId;
    @Id
    @Column(name = "user_id")
    public String userId;
    @Id
    @Column(name = "tile_id")
    public UUID tileId;
    @Column(name = "content_seq", nullable = false)
    public long contentSeq;

    public static class Key implements Serializable {
        public String tenantId;
        public String userId;
        public UUID tileId;

        public Key() {
        }

        public Key(String tenantId, String userId, UUID tileId) {
            this.tenantId = tenantId;
            this.userId = userId;
            this.tileId = tileId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tenantId, k.tenantId) && Objects.equals(userId, k.userId)
                    && Objects.equals(tileId, k.tileId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, userId, tileId);
        }
    }
}
