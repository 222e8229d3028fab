package com.activityfeed.social.comments;

import com.activityfeed.messages.SocialUpdate;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A comment on a tile (V2); deleted ones keep their row with {@code deletedAt} set. */
@Entity
@Table(name = "comment")
public class CommentEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    /** The tile it counts on: the group, once its tile is folded. */
    @Column(name = "tile_id", nullable = false)
    public UUID tileId;

    /** The tile it was written on, before any fold. */
    @Column(name = "origin_tile", nullable = false)
    public UUID originTile;

    @Column(name = "author_id", nullable = false)
    public String authorId;

    @Column(name = "author_name", nullable = false)
    public String authorName;

    @Column(name = "body", nullable = false)
    public String body;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    public SocialUpdate.Comment toRecord() {
        return new SocialUpdate.Comment(id, tileId, authorId, authorName, body, createdAt);
    }

    /** Comments of the tile that are shown and counted. */
    public static long countVisible(UUID tileId) {
        return count("tileId = ?1 and deletedAt is null", tileId);
    }
}
