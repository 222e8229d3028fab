package com.activityfeed.social.comments;

import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.outbox.Outbox;
import com.activityfeed.social.paging.Cursor;
import com.activityfeed.social.paging.Page;
import com.activityfeed.social.tiles.TileLookup;
import com.activityfeed.social.tiles.TileProjection;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Comments on tiles, oldest first; deleted ones are kept but never shown nor counted. */
@ApplicationScoped
public class CommentService {
    public static final int MAX_BODY = 500;

    private final TileProjection tiles;
    private final Outbox outbox;

    public CommentService(TileProjection tiles, Outbox outbox) {
        this.tiles = tiles;
        this.outbox = outbox;
    }

    @Transactional
    public Page<SocialUpdate.Comment> list(Caller caller, UUID tileId, Cursor after, int limit) {
        TileProjection.Target tile = tiles.lockTarget(caller.tenant(), tileId).orElseThrow(TileLookup::notFound);
        Cursor from = Cursor.orStart(after);
        return Page.of(CommentEntity.<CommentEntity>find(
                                "tileId = :tile and tenantId = :tenant and deletedAt is null and " + Cursor.AFTER
                                        + " order by createdAt, id",
                                Parameters.with("tile", tile.id()).and("tenant", caller.tenant())
                                        .and("afterAt", from.createdAt()).and("afterId", from.id()))
                        .range(0, limit).list(),
                limit, CommentEntity::toRecord, c -> new Cursor(c.createdAt, c.id));
    }

    @Transactional
    public SocialUpdate.Comment create(Caller caller, UUID tileId, String body) {
        outbox.lockTenant(caller.tenant());
        TileProjection.Target tile = tiles.lockTarget(caller.tenant(), tileId).orElseThrow(TileLookup::notFound);
        CommentEntity comment = new CommentEntity();
        comment.id = UUID.randomUUID();
        comment.tenantId = caller.tenant();
        comment.tileId = tile.id();
        comment.originTile = tileId;
        comment.authorId = caller.userId();
        comment.authorName = caller.name();
        comment.body = body;
        comment.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        comment.persist();
        SocialUpdate.Comment created = comment.toRecord();
        outbox.append(caller.tenant(), SocialUpdate.Kind.COMMENT_CREATED, null,
                new SocialUpdate.CommentChange(tile.id(), created, CommentEntity.countVisible(tile.id())), null, null);
        return created;
    }

    /** Soft-deletes a visible comment of the tile; only its author or an admin may. */
    @Transactional
    public void delete(Caller caller, UUID tileId, UUID commentId) {
        outbox.lockTenant(caller.tenant());
        TileProjection.Target tile = tiles.lockTarget(caller.tenant(), tileId).orElseThrow(TileLookup::notFound);
        CommentEntity comment = CommentEntity.<CommentEntity>find(
                        "id = ?1 and tileId = ?2 and tenantId = ?3 and deletedAt is null", commentId, tile.id(), caller.tenant())
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("no such comment"));
        if (!comment.authorId.equals(caller.userId()) && !caller.hasRole(Caller.ADMIN)) {
            throw ProblemException.forbidden("only the author or an admin may delete a comment");
        }
        SocialUpdate.Comment deleted = comment.toRecord();
        comment.deletedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        outbox.append(caller.tenant(), SocialUpdate.Kind.COMMENT_DELETED, null,
                new SocialUpdate.CommentChange(tile.id(), deleted, CommentEntity.countVisible(tile.id())), null, null);
    }
}
