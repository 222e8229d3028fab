package com.activityfeed.social.erasure;

import com.activityfeed.messages.ErasureRequest;
import com.activityfeed.messages.ReactionCounts;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.outbox.Outbox;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * social-service's part of an erasure (SPEC §6a), in one transaction under the tenant's outbox lock:
 * the person's comments and chat messages are deleted (not marked deleted), their reactions removed
 * and their reaction-limit grants dropped. Each tile whose counts change gets the usual
 * {@code social.updates} (reaction.updated with the new totals, comment.deleted with the new
 * count) so clients follow live; those updates name the erased actor, never the person. The tile
 * projection follows feed-service's rewritten tiles on feed.changes; only folded singles, which the
 * feed never announces again, get the erased actor here. A tenant's
 * erasure deletes every row of the tenant, the outbox included. Doing it again changes nothing.
 */
@ApplicationScoped
public class SocialEraser {
    static final String ERASED_ID = "erased";
    static final String ERASED_NAME = "Deleted user";
    private static final Logger LOG = Logger.getLogger(SocialEraser.class);

    private final AgroalDataSource dataSource;
    private final Outbox outbox;

    public SocialEraser(AgroalDataSource dataSource, Outbox outbox) {
        this.dataSource = dataSource;
        this.outbox = outbox;
    }

    @Transactional
    public void apply(ErasureRequest request) {
        try (Connection c = dataSource.getConnection()) {
            outbox.lockTenant(c, request.tenantId());
            if (request.wholeTenant()) {
                eraseTenant(c, request.tenantId());
            } else {
                eraseUser(c, request.tenantId(), request.userId());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply erasure " + request.id(), e);
        }
        if (ErasureApplied.findById(request.id()) == null) {
            ErasureApplied applied = new ErasureApplied();
            applied.id = request.id();
            applied.tenantId = request.tenantId();
            applied.appliedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            applied.persist();
        }
    }

    private void eraseUser(Connection c, String tenant, String userId) throws SQLException {
        int reactions = removeReactions(c, tenant, userId);
        int comments = deleteComments(c, tenant, userId);
        int messages;
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM chat_message WHERE tenant_id = ? AND author_id = ?""")) {
            ps.setString(1, tenant);
            ps.setString(2, userId);
            messages = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM reaction_grant WHERE tenant_id = ? AND user_id = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, userId);
            ps.executeUpdate();
        }
        // Tiles the feed still shows are rewritten there and reach the projection on feed.changes; a
        // single folded into a group before the erasure is never announced again, so its actor goes here.
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE tile SET actor_ids = array_replace(actor_ids, ?, ?) WHERE tenant_id = ? AND ? = ANY (actor_ids)""")) {
            ps.setString(1, userId);
            ps.setString(2, ERASED_ID);
            ps.setString(3, tenant);
            ps.setString(4, userId);
            ps.executeUpdate();
        }
        LOG.infof("erased a user of tenant %s: %d reactions, %d comments, %d chat messages", tenant, reactions,
                comments, messages);
    }

    private int removeReactions(Connection c, String tenant, String userId) throws SQLException {
        Map<UUID, List<String>> removed = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM reaction WHERE tenant_id = ? AND user_id = ? RETURNING tile_id, type")) {
            ps.setString(1, tenant);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    removed.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        int n = 0;
        for (Map.Entry<UUID, List<String>> tile : removed.entrySet()) {
            ReactionCounts counts = counts(c, tile.getKey());
            for (String type : tile.getValue()) {
                outbox.append(c, tenant, SocialUpdate.Kind.REACTION_UPDATED,
                        new SocialUpdate.Reaction(tile.getKey(), counts, ERASED_ID, type, SocialUpdate.Reaction.REMOVED,
                                List.of()), null, null, null);
                n++;
            }
        }
        return n;
    }

    private int deleteComments(Connection c, String tenant, String userId) throws SQLException {
        record Deleted(UUID id, UUID tileId, Instant createdAt, boolean visible) {
        }
        List<Deleted> deleted = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM comment WHERE tenant_id = ? AND author_id = ?
                RETURNING id, tile_id, created_at, deleted_at IS NULL""")) {
            ps.setString(1, tenant);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp created = rs.getTimestamp(3);
                    deleted.add(new Deleted(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            created.toInstant(), rs.getBoolean(4)));
                }
            }
        }
        for (Deleted d : deleted) {
            if (!d.visible()) {
                continue; // already announced as deleted and no longer counted
            }
            SocialUpdate.Comment comment = new SocialUpdate.Comment(d.id(), d.tileId(), ERASED_ID, ERASED_NAME, "",
                    d.createdAt());
            outbox.append(c, tenant, SocialUpdate.Kind.COMMENT_DELETED,
                    null, new SocialUpdate.CommentChange(d.tileId(), comment, commentCount(c, d.tileId())), null, null);
        }
        return deleted.size();
    }

    private static void eraseTenant(Connection c, String tenant) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT c.table_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
                  AND c.table_name <> 'erasure_applied'
                ORDER BY c.table_name = 'chat_thread', c.table_name""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add('"' + rs.getString(1).replace("\"", "\"\"") + '"');
            }
        }
        int rows = 0;
        for (String table : tables) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ?")) {
                ps.setString(1, tenant);
                rows += ps.executeUpdate();
            }
        }
        LOG.infof("erased tenant %s: %d rows deleted", tenant, rows);
    }

    private static ReactionCounts counts(Connection c, UUID tileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT type, count(*) FROM reaction WHERE tile_id = ? GROUP BY type")) {
            ps.setObject(1, tileId);
            try (ResultSet rs = ps.executeQuery()) {
                return ReactionCounts.fromRows(rs);
            }
        }
    }

    private static long commentCount(Connection c, UUID tileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM comment WHERE tile_id = ? AND deleted_at IS NULL")) {
            ps.setObject(1, tileId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
