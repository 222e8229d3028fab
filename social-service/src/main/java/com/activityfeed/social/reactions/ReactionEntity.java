package com.activityfeed.social.reactions;

import com.activityfeed.messages.ReactionCounts;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** One reaction: one per tile, user and type (V2); never leaves the service (answers are records). */
@Entity
@Table(name = "reaction")
@IdClass(ReactionEntity.Key.class)
public class ReactionEntity extends PanacheEntityBase {
    @Id
    @Column(name = "tile_id")
    public UUID tileId;

    @Id
    @Column(name = "user_id")
    public String userId;

    @Id
    @Column(name = "type")
    public String type;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static ReactionEntity of(UUID tileId, String userId, String type, String tenantId, Instant createdAt) {
        ReactionEntity r = new ReactionEntity();
        r.tileId = tileId;
        r.userId = userId;
        r.type = type;
        r.tenantId = tenantId;
        r.createdAt = createdAt;
        return r;
    }

    /** The tile's totals per type. */
    public static ReactionCounts counts(UUID tileId) {
        long hype = 0;
        long respect = 0;
        long tribute = 0;
        List<TypeCount> rows = getEntityManager().createQuery("""
                        select new com.activityfeed.social.reactions.TypeCount(r.type, count(r))
                        from ReactionEntity r where r.tileId = :tile group by r.type""", TypeCount.class)
                .setParameter("tile", tileId)
                .getResultList();
        for (TypeCount row : rows) {
            switch (row.type()) {
                case "hype" -> hype = row.count();
                case "respect" -> respect = row.count();
                case "tribute" -> tribute = row.count();
                default -> {
                }
            }
        }
        return new ReactionCounts(hype, respect, tribute);
    }

    /** The composite primary key (tile_id, user_id, type). */
    public static class Key implements Serializable {
        public UUID tileId;
        public String userId;
        public String type;

        public Key() {
        }

        public Key(UUID tileId, String userId, String type) {
            this.tileId = tileId;
            this.userId = userId;
            this.type = type;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tileId, k.tileId) && Objects.equals(userId, k.userId)
                    && Objects.equals(type, k.type);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tileId, userId, type);
        }
    }
}
