package com.activityfeed.social.comments;

import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.outbox.Outbox;
import com.activityfeed.social.paging.Cursor;
import com.activityfeed.social.paging.Page;
import com.activityfeed.social.tiles.TileLookup;
import com.activityfeed.social.tiles.TileProjection;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Comments on tiles, oldest first; deleted ones are kept but never shown nor counted. */
@ApplicationScoped
public class CommentService {
    public static final int MAX_BODY = 500;

    private final AgroalDataSource dataSource;
    private final TileProjection tiles;
    private final Outbox outbox;

    public CommentService(AgroalDataSource dataSource, TileProjection tiles, Outbox outbox) {
        this.dataSource = dataSource;
        this.tiles = tiles;
        this.outbox = outbox;
    }

    @Transactional
    public Page<SocialUpdate.Comment> list(Caller caller, UUID tileId, Cursor after, int limit) {
        try (Connection c = dataSource.getConnection()) {
            TileProjection.Target tile = tiles.lockTarget(c, caller.tenant(), tileId).orElseThrow(TileLookup::notFound);
            List<SocialUpdate.Comment> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, tile_id, author_id, author_name, body, created_at FROM comment
                    WHERE tile_id = ? AND tenant_id = ? AND deleted_at IS NULL AND (created_at, id) > (?, ?)
                    ORDER BY created_at, id LIMIT ?""")) {
                ps.setObject(1, tile.id());
                ps.setString(2, caller.tenant());
                ps.setTimestamp(3, after == null ? Timestamp.from(Instant.EPOCH) : after.timestamp());
                ps.setObject(4, after == null ? new UUID(Long.MIN_VALUE, Long.MIN_VALUE) : after.id());
                ps.setInt(5, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(comment(rs));
                    }
                }
            }
            String next = null;
            if (items.size() > limit) {
                items = items.subList(0, limit);
                SocialUpdate.Comment last = items.get(limit - 1);
                next = new Cursor(last.createdAt(), last.id()).encode();
            }
            return new Page<>(List.copyOf(items), next);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list comments of " + tileId, e);
        }
    }

    @Transactional
    public SocialUpdate.Comment create(Caller caller, UUID tileId, String body) {
        try (Connection c = dataSource.getConnection()) {
            outbox.lockTenant(c, caller.tenant());
            TileProjection.Target tile = tiles.lockTarget(c, caller.tenant(), tileId).orElseThrow(TileLookup::notFound);
            SocialUpdate.Comment comment = new SocialUpdate.Comment(UUID.randomUUID(), tile.id(), caller.userId(),
                    caller.name(), body, Instant.now().truncatedTo(ChronoUnit.MICROS));
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO comment (id, tenant_id, tile_id, origin_tile, author_id, author_name, body, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setObject(1, comment.id());
                ps.setString(2, caller.tenant());
                ps.setObject(3, tile.id());
                ps.setObject(4, tileId);
                ps.setString(5, comment.authorId());
                ps.setString(6, comment.authorName());
                ps.setString(7, body);
                ps.setTimestamp(8, Timestamp.from(comment.createdAt()));
                ps.executeUpdate();
            }
            outbox.append(c, caller.tenant(), SocialUpdate.Kind.COMMENT_CREATED, null,
                    new SocialUpdate.CommentChange(tile.id(), comment, count(c, tile.id())), null, null);
            return comment;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot comment on " + tileId, e);
        }
    }

    /** Soft-deletes a visible comment of the tile; only its author or an admin may. */
    @Transactional
    public void delete(Caller caller, UUID tileId, UUID commentId) {
        try (Connection c = dataSource.getConnection()) {
            outbox.lockTenant(c, caller.tenant());
            TileProjection.Target tile = tiles.lockTarget(c, caller.tenant(), tileId).orElseThrow(TileLookup::notFound);
            SocialUpdate.Comment comment;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, tile_id, author_id, author_name, body, created_at FROM comment
                    WHERE id = ? AND tile_id = ? AND tenant_id = ? AND deleted_at IS NULL FOR UPDATE""")) {
                ps.setObject(1, commentId);
                ps.setObject(2, tile.id());
                ps.setString(3, caller.tenant());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound("no such comment");
                    }
                    comment = comment(rs);
                }
            }
            if (!comment.authorId().equals(caller.userId()) && !caller.hasRole(Caller.ADMIN)) {
                throw ProblemException.forbidden("only the author or an admin may delete a comment");
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE comment SET deleted_at = now() WHERE id = ?")) {
                ps.setObject(1, commentId);
                ps.executeUpdate();
            }
            outbox.append(c, caller.tenant(), SocialUpdate.Kind.COMMENT_DELETED, null,
                    new SocialUpdate.CommentChange(tile.id(), comment, count(c, tile.id())), null, null);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete comment " + commentId, e);
        }
    }

    private static long count(Connection c, UUID tileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM comment WHERE tile_id = ? AND deleted_at IS NULL")) {
            ps.setObject(1, tileId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static SocialUpdate.Comment comment(ResultSet rs) throws SQLException {
        return new SocialUpdate.Comment(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant());
    }
}
