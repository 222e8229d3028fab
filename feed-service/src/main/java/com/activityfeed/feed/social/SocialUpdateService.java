package com.activityfeed.feed.social;

import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.feed.follows.ParticipationService;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.ReactionCounts;
import com.activityfeed.messages.SocialUpdate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Folds one {@link SocialUpdate} into the feed: keeps {@code tile_social} and {@code tile_reaction}
 * exact, and appends the SSE event to the change log, all in one transaction with the record that
 * the update was applied, so a redelivered update changes nothing. Updates naming a folded tile
 * land on its group. Reaction counts are recounted from the feed's own {@code tile_reaction}, not
 * taken from the message: around a fold social and feed may briefly disagree on which tile holds a
 * reaction, and recounting keeps the feed consistent with itself.
 */
@ApplicationScoped
public class SocialUpdateService {
    private final AgroalDataSource dataSource;
    private final TenantLog tenantLog;
    private final ObjectMapper json;
    private final ParticipationService participation;

    public SocialUpdateService(AgroalDataSource dataSource, TenantLog tenantLog, ObjectMapper json,
                               ParticipationService participation) {
        this.dataSource = dataSource;
        this.tenantLog = tenantLog;
        this.json = json;
        this.participation = participation;
    }

    /** Returns false when the update had been applied before. */
    @Transactional
    public boolean apply(SocialUpdate update) {
        try (Connection c = dataSource.getConnection()) {
            if (!firstDelivery(c, update.id())) {
                return false;
            }
            // the tenant's log lock first, as every feed writer takes it: this transaction and a concurrent
            // fold are serialised in one lock order (never a deadlock), and the fold's moves of
            // tile_reaction and tile_social are either all visible here or all after
            TenantLog.Appender log = tenantLog.lock(c, update.tenantId());
            switch (update.kind()) {
                case REACTION_UPDATED -> reaction(c, log, update);
                case COMMENT_CREATED -> comment(c, log, update, 1);
                case COMMENT_DELETED -> comment(c, log, update, -1);
                case THREAD_CREATED, THREAD_UPDATED, THREAD_DELETED -> thread(c, log, update);
                case MESSAGE_CREATED -> message(log, update);
            }
            log.flush();
            participation.onSocialUpdate(update);
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply social update " + update.id(), e);
        }
    }

    private static boolean firstDelivery(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO social_update_applied (id) VALUES (?) ON CONFLICT (id) DO NOTHING")) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    private void reaction(Connection c, TenantLog.Appender log, SocialUpdate update) throws SQLException {
        SocialUpdate.Reaction reaction = require(update.reaction(), update);
        TileTarget tile = TileTarget.lock(c, update.tenantId(), reaction.tileId());
        boolean added = SocialUpdate.Reaction.ADDED.equals(reaction.action());
        try (PreparedStatement ps = c.prepareStatement(added
                ? "INSERT INTO tile_reaction (tile_id, user_id, type, tenant_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
                : "DELETE FROM tile_reaction WHERE tile_id = ? AND user_id = ? AND type = ? AND tenant_id = ?")) {
            ps.setObject(1, tile.id());
            ps.setString(2, reaction.actorId());
            ps.setString(3, reaction.reactionType());
            ps.setString(4, update.tenantId());
            ps.executeUpdate();
        }
        ReactionCounts counts = counts(c, tile.id());
        ObjectNode data = json.createObjectNode();
        data.put("tileId", tile.id().toString());
        data.set("counts", json.valueToTree(counts));
        data.put("actorId", reaction.actorId());
        data.put("reactionType", reaction.reactionType());
        data.put("action", reaction.action());
        long seq = append(log, update, tile.id(), tile.types(), data);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tile_social (tile_id, tenant_id, hype, respect, tribute, last_seq) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (tile_id) DO UPDATE SET hype = excluded.hype, respect = excluded.respect,
                    tribute = excluded.tribute, last_seq = excluded.last_seq""")) {
            ps.setObject(1, tile.id());
            ps.setString(2, update.tenantId());
            ps.setLong(3, counts.hype());
            ps.setLong(4, counts.respect());
            ps.setLong(5, counts.tribute());
            ps.setLong(6, seq);
            ps.executeUpdate();
        }
    }

    /**
     * Comment counts move by one per created or deleted comment (social publishes only real
     * changes), so a comment on a folded id adds to the group's merged count instead of
     * overwriting it with the single tile's.
     */
    private void comment(Connection c, TenantLog.Appender log, SocialUpdate update, int delta) throws SQLException {
        SocialUpdate.CommentChange change = require(update.comment(), update);
        require(change.comment(), update);
        TileTarget tile = TileTarget.lock(c, update.tenantId(), change.tileId());
        SocialUpdate.Comment comment = change.comment();
        SocialUpdate.Comment onTile = new SocialUpdate.Comment(comment.id(), tile.id(), comment.authorId(),
                comment.authorName(), comment.body(), comment.createdAt());
        ObjectNode data = json.createObjectNode();
        data.put("tileId", tile.id().toString());
        data.set("comment", json.valueToTree(onTile));
        long seq = append(log, update, tile.id(), tile.types(), data);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tile_social (tile_id, tenant_id, comment_count, last_seq) VALUES (?, ?, greatest(0, ?), ?)
                ON CONFLICT (tile_id) DO UPDATE SET comment_count = greatest(0, tile_social.comment_count + ?),
                    last_seq = excluded.last_seq""")) {
            ps.setObject(1, tile.id());
            ps.setString(2, update.tenantId());
            ps.setLong(3, delta);
            ps.setLong(4, seq);
            ps.setLong(5, delta);
            ps.executeUpdate();
        }
    }

    private void thread(Connection c, TenantLog.Appender log, SocialUpdate update) throws SQLException {
        SocialUpdate.Thread thread = require(update.thread(), update);
        UUID tileId = thread.tileId() == null ? null : TileTarget.resolve(c, update.tenantId(), thread.tileId());
        append(log, update, tileId, List.of(), json.valueToTree(thread));
    }

    private void message(TenantLog.Appender log, SocialUpdate update) throws SQLException {
        append(log, update, null, List.of(), json.valueToTree(require(update.message(), update)));
    }

    private static long append(TenantLog.Appender log, SocialUpdate update, UUID tileId, List<String> types,
                               JsonNode data) {
        return log.add(new TenantLog.Entry(update.kind().feedEvent(), tileId, null, null, types, update.at(), data));
    }

    private static ReactionCounts counts(Connection c, UUID tileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT type, count(*) FROM tile_reaction WHERE tile_id = ? GROUP BY type")) {
            ps.setObject(1, tileId);
            try (ResultSet rs = ps.executeQuery()) {
                return ReactionCounts.fromRows(rs);
            }
        }
    }

    private static <T> T require(T part, SocialUpdate update) {
        if (part == null) {
            throw new MessageCodec.MalformedMessageException(
                    "social update " + update.id() + " of kind " + update.kind() + " lacks its payload");
        }
        return part;
    }
}
