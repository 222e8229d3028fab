package com.activityfeed.social.reactions;

import com.activityfeed.messages.ReactionCounts;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.api.ReactionSummary;
import com.activityfeed.social.outbox.Outbox;
import com.activityfeed.social.tiles.TileLookup;
import com.activityfeed.social.tiles.TileProjection;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reactions on tiles: one per tile, user and type; each change goes to the outbox with the new totals. */
@ApplicationScoped
public class ReactionService {
    private final EntityManager entityManager;
    private final TileProjection tiles;
    private final Outbox outbox;
    private final ReactionsConfig config;

    public ReactionService(EntityManager entityManager, TileProjection tiles, Outbox outbox, ReactionsConfig config) {
        this.entityManager = entityManager;
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
        outbox.lockTenant(caller.tenant());
        TileProjection.Target tile = tiles.lockTarget(caller.tenant(), tileId).orElseThrow(TileLookup::notFound);
        if (tile.isActor(caller.userId())) {
            throw ProblemException.forbidden("you cannot react to your own activity");
        }
        boolean changed = add ? add(caller, tile.id(), type) : remove(caller, tile.id(), type);
        ReactionState state = state(tile.id(), caller.userId());
        if (changed) {
            outbox.append(caller.tenant(), SocialUpdate.Kind.REACTION_UPDATED,
                    new SocialUpdate.Reaction(tile.id(), state.counts(), caller.userId(), type,
                            add ? SocialUpdate.Reaction.ADDED : SocialUpdate.Reaction.REMOVED, state.myReactions()),
                    null, null, null);
        }
        return state;
    }

    private boolean add(Caller caller, UUID tileId, String type) {
        if (ReactionEntity.findByIdOptional(new ReactionEntity.Key(tileId, caller.userId(), type)).isPresent()) {
            return false;
        }
        enforceLimit(caller);
        ReactionEntity.of(tileId, caller.userId(), type, caller.tenant(), Instant.now().truncatedTo(ChronoUnit.MICROS))
                .persist();
        // reaction_grant has no key (a log of grant times read only in aggregate), so no entity
        entityManager.createNativeQuery("INSERT INTO reaction_grant (tenant_id, user_id) VALUES (:tenant, :user)")
                .setParameter("tenant", caller.tenant())
                .setParameter("user", caller.userId())
                .executeUpdate();
        return true;
    }

    /**
     * At most {@code limit} new reactions per user in a sliding window, counted in PostgreSQL under
     * the tenant's lock (held by the caller), so the limit holds across replicas; the window is
     * measured on the database's clock, the one that stamped the grants.
     */
    private void enforceLimit(Caller caller) {
        double windowSeconds = config.window().toMillis() / 1000.0;
        entityManager.createNativeQuery("""
                        DELETE FROM reaction_grant WHERE tenant_id = :tenant AND user_id = :user
                        AND granted_at <= now() - make_interval(secs => :window)""")
                .setParameter("tenant", caller.tenant())
                .setParameter("user", caller.userId())
                .setParameter("window", windowSeconds)
                .executeUpdate();
        Number counted = (Number) entityManager.createNativeQuery(
                        "SELECT count(*) FROM reaction_grant WHERE tenant_id = :tenant AND user_id = :user", Long.class)
                .setParameter("tenant", caller.tenant())
                .setParameter("user", caller.userId())
                .getSingleResult();
        if (counted.longValue() >= config.limit()) {
            Number secondsLeft = (Number) entityManager.createNativeQuery("""
                            SELECT EXTRACT(EPOCH FROM min(granted_at) + make_interval(secs => :window) - now())::float8
                            FROM reaction_grant WHERE tenant_id = :tenant AND user_id = :user""", Double.class)
                    .setParameter("window", windowSeconds)
                    .setParameter("tenant", caller.tenant())
                    .setParameter("user", caller.userId())
                    .getSingleResult();
            long retryMillis = Math.max(1000, (long) Math.ceil(secondsLeft.doubleValue() * 1000));
            throw ProblemException.tooManyRequests("at most " + config.limit() + " new reactions per "
                    + config.window().toMinutes() + " minutes", Duration.ofMillis(retryMillis));
        }
    }

    private boolean remove(Caller caller, UUID tileId, String type) {
        return ReactionEntity.delete("tileId = ?1 and userId = ?2 and type = ?3", tileId, caller.userId(), type) > 0;
    }

    private ReactionState state(UUID tileId, String userId) {
        List<String> mine = new ArrayList<>(entityManager.createQuery(
                        "select r.type from ReactionEntity r where r.tileId = :tile and r.userId = :user", String.class)
                .setParameter("tile", tileId)
                .setParameter("user", userId)
                .getResultList());
        mine.sort((a, b) -> Integer.compare(ReactionType.ALL.indexOf(a), ReactionType.ALL.indexOf(b)));
        return new ReactionState(tileId, ReactionEntity.counts(tileId), mine);
    }
}
