package com.activityfeed.social.reactions;

import com.activityfeed.messages.ReactionCounts;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.api.ReactionSummary;
import com.activityfeed.social.outbox.Outbox;
import com.activityfeed.social.tiles.TileLookup;
import com.activityfeed.social.tiles.TileProjection;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reactions on tiles: one per tile, user and type; each change goes to the outbox with the new totals. */
@ApplicationScoped
public class ReactionService {
    private final AgroalDataSource dataSource;
    private final TileProjection tiles;
    private final Outbox outbox;
    private final ReactionsConfig config;

    public ReactionService(AgroalDataSource dataSource, TileProjection tiles, Outbox outbox, ReactionsConfig config) {
        this.dataSource = dataSource;
        this.tiles = tiles;
        this.outbox = outbox;
        this.config = config;
    }

    @Schema(name = "ReactionState")
    public record ReactionState(@Schema(required = true, description = "the tile that holds the reactions (a folded tile's group)") UUID tileId,
                                @Schema(required = true, implementation = ReactionSummary.class) ReactionCounts counts,
                                @Schema(required = true, description = "the caller's reaction types on the tile") List<String> myReactions) {
    }

    /**
     * Adds ({@code add}) or takes back a reaction. Repeating an existing reaction, or taking back
     * one that is not there, changes nothing and publishes nothing.
     */
    @Transactional
    public ReactionState react(Caller caller, UUID tileId, String type, boolean add) {
        try (Connection c = dataSource.getConnection()) {
            outbox.lockTenant(c, caller.tenant());
            TileProjection.Target tile = tiles.lockTarget(c, caller.tenant(), tileId)
                    .orElseThrow(TileLookup::notFound);
            if (tile.isActor(caller.userId())) {
                throw ProblemException.forbidden("you cannot react to your own activity");
            }
            boolean changed = add ? add(c, caller, tile.id(), type) : remove(c, caller, tile.id(), type);
            ReactionState state = state(c, tile.id(), caller.userId());
            if (changed) {
                outbox.append(c, caller.tenant(), SocialUpdate.Kind.REACTION_UPDATED,
                        new SocialUpdate.Reaction(tile.id(), state.counts(), caller.userId(), type,
                                add ? SocialUpdate.Reaction.ADDED : SocialUpdate.Reaction.REMOVED, state.myReactions()),
                        null, null, null);
            }
            return state;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change reaction on " + tileId, e);
        }
    }

    private boolean add(Connection c, Caller caller, UUID tileId, String type) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM reaction WHERE tile_id = ? AND user_id = ? AND type = ?")) {
            ps.setObject(1, tileId);
            ps.setString(2, caller.userId());
            ps.setString(3, type);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        enforceLimit(c, caller);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO reaction (tile_id, user_id, type, tenant_id) VALUES (?, ?, ?, ?);
                INSERT INTO reaction_grant (tenant_id, user_id) VALUES (?, ?)""")) {
            ps.setObject(1, tileId);
            ps.setString(2, caller.userId());
            ps.setString(3, type);
            ps.setString(4, caller.tenant());
            ps.setString(5, caller.tenant());
            ps.setString(6, caller.userId());
            ps.executeUpdate();
        }
        return true;
    }

    /**
     * At most {@code limit} new reactions per user in a sliding window, counted in PostgreSQL under
     * the tenant's lock (held by the caller), so the limit holds across replicas.
     */
    private void enforceLimit(Connection c, Caller caller) throws SQLException {
        double windowSeconds = config.window().toMillis() / 1000.0;
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM reaction_grant WHERE tenant_id = ? AND user_id = ? AND granted_at <= now() - make_interval(secs => ?);
                SELECT count(*), EXTRACT(EPOCH FROM min(granted_at) + make_interval(secs => ?) - now())
                FROM reaction_grant WHERE tenant_id = ? AND user_id = ?""")) {
            ps.setString(1, caller.tenant());
            ps.setString(2, caller.userId());
            ps.setDouble(3, windowSeconds);
            ps.setDouble(4, windowSeconds);
            ps.setString(5, caller.tenant());
            ps.setString(6, caller.userId());
            ps.execute();
            ps.getMoreResults();
            try (ResultSet rs = ps.getResultSet()) {
                rs.next();
                if (rs.getLong(1) >= config.limit()) {
                    long retryMillis = Math.max(1000, (long) Math.ceil(rs.getDouble(2) * 1000));
                    throw ProblemException.tooManyRequests("at most " + config.limit() + " new reactions per "
                            + config.window().toMinutes() + " minutes", Duration.ofMillis(retryMillis));
                }
            }
        }
    }

    private boolean remove(Connection c, Caller caller, UUID tileId, String type) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM reaction WHERE tile_id = ? AND user_id = ? AND type = ?")) {
            ps.setObject(1, tileId);
            ps.setString(2, caller.userId());
            ps.setString(3, type);
            return ps.executeUpdate() > 0;
        }
    }

    private ReactionState state(Connection c, UUID tileId, String userId) throws SQLException {
        long hype = 0;
        long respect = 0;
        long tribute = 0;
        List<String> mine = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT type, count(*), bool_or(user_id = ?) FROM reaction WHERE tile_id = ? GROUP BY type")) {
            ps.setString(1, userId);
            ps.setObject(2, tileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2);
                    switch (rs.getString(1)) {
                        case "hype" -> hype = n;
                        case "respect" -> respect = n;
                        case "tribute" -> tribute = n;
                        default -> {
                        }
                    }
                    if (rs.getBoolean(3)) {
                        mine.add(rs.getString(1));
                    }
                }
            }
        }
        mine.sort((a, b) -> Integer.compare(ReactionType.ALL.indexOf(a), ReactionType.ALL.indexOf(b)));
        return new ReactionState(tileId, new ReactionCounts(hype, respect, tribute), mine);
    }
}
