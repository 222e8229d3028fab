package com.activityfeed.social.tiles;

import com.activityfeed.kafka.outbox.AfterCommit;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.TileRef;
import com.activityfeed.social.comments.CommentEntity;
import com.activityfeed.social.reactions.ReactionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The tiles feed-service announced on {@code feed.changes}: enough to check a reaction or comment
 * target without calling the feed. A folded tile stays as an alias of its group; when tiles fold,
 * their reactions move to the group (one per user and type) and their comments follow.
 */
@ApplicationScoped
public class TileProjection {
    private final TileWaiters waiters;
    private final TransactionSynchronizationRegistry transactions;

    public TileProjection(TileWaiters waiters, TransactionSynchronizationRegistry transactions) {
        this.waiters = waiters;
        this.transactions = transactions;
    }

    /** A tile a reaction or comment may target: never an alias, never another tenant's. */
    public record Target(UUID id, String kind, List<String> actorIds) {
        public boolean isActor(String userId) {
            return actorIds.contains(userId);
        }
    }

    /**
     * Applies changes of the feed's log in order, in one transaction. Each change starts from what
     * the database holds: the entities one change loaded are let go before the next (a later
     * change's upsert would leave them stale).
     */
    @Transactional
    public void applyAll(List<FeedChange> changes) {
        for (FeedChange change : changes) {
            apply(change);
            TileEntity.getEntityManager().clear();
        }
    }

    /** Applies one change of the feed's log; changes that say nothing about tiles are ignored. */
    @Transactional
    public void apply(FeedChange change) {
        List<UUID> seen = new ArrayList<>();
        switch (change.event()) {
            case FeedEvents.TILE_CREATED, FeedEvents.TILE_UPDATED -> {
                if (change.tile() != null) {
                    remember(change.tenantId(), change.tile());
                    seen.add(change.tile().id());
                }
            }
            case FeedEvents.TILE_FOLDED -> {
                TileRef group = change.tile() != null ? change.tile()
                        : new TileRef(change.tileId(), "group", List.of());
                if (group.id() == null) {
                    return;
                }
                List<UUID> folded = change.foldedTileIds() == null ? List.of() : change.foldedTileIds();
                remember(change.tenantId(), group);
                fold(change.tenantId(), group.id(), folded);
                seen.add(group.id());
                seen.addAll(folded);
            }
            case FeedEvents.TILE_REMOVED -> {
                UUID id = change.tile() != null ? change.tile().id() : change.tileId();
                if (id != null) {
                    TileEntity.update("removed = true where id = ?1 and tenantId = ?2", id, change.tenantId());
                }
            }
            default -> {
                if (change.tile() != null) {
                    remember(change.tenantId(), change.tile());
                    seen.add(change.tile().id());
                }
            }
        }
        // Written now rather than at commit, so data PostgreSQL refuses fails here, with its SQLState,
        // for the consumer to dead-letter (a failure inside the commit reaches it wrapped and logged twice).
        TileEntity.flush();
        if (!seen.isEmpty()) {
            AfterCommit.run(transactions, () -> seen.forEach(waiters::seen));
        }
    }

    /**
     * Locks and returns the tile a request targets, following an alias to its group. The share
     * lock makes a fold that is being applied wait for this transaction, or this one see the fold.
     */
    public Optional<Target> lockTarget(String tenant, UUID id) {
        Optional<TileEntity> row = lockRow(id);
        if (row.isPresent() && row.get().aliasOf != null) {
            row = lockRow(row.get().aliasOf);
        }
        return row.filter(r -> r.tenantId.equals(tenant) && !r.removed)
                .map(r -> new Target(r.id, r.kind, List.copyOf(r.actorIds)));
    }

    /** Whether the projection has heard of the tile at all, for any tenant (a request then need not wait). */
    @Transactional
    public boolean known(UUID id) {
        return TileEntity.count("id", id) > 0;
    }

    private static Optional<TileEntity> lockRow(UUID id) {
        // PESSIMISTIC_READ is FOR SHARE on PostgreSQL
        return TileEntity.findByIdOptional(id, LockModeType.PESSIMISTIC_READ);
    }

    /**
     * Records or refreshes a tile; a tile id of another tenant is left alone (ids are never shared).
     * One statement: this runs for every change of every tile, and a look followed by an insert or
     * an update was two.
     */
    private static void remember(String tenant, TileRef ref) {
        TileEntity.getEntityManager().createNativeQuery("""
                        INSERT INTO tile (id, tenant_id, kind, actor_ids) VALUES (:id, :tenant, :kind, :actors)
                        ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, actor_ids = EXCLUDED.actor_ids
                        WHERE tile.tenant_id = EXCLUDED.tenant_id""")
                .setParameter("id", ref.id())
                .setParameter("tenant", tenant)
                .setParameter("kind", ref.kind())
                .setParameter("actors", ref.actorIds().toArray(String[]::new))
                .executeUpdate();
    }

    private static void fold(String tenant, UUID group, List<UUID> folded) {
        List<UUID> others = folded.stream().filter(id -> !id.equals(group)).distinct().toList();
        if (others.isEmpty()) {
            return;
        }
        // A folded tile social never saw still becomes an alias, so requests naming it reach the group.
        for (UUID id : others) {
            TileEntity tile = TileEntity.findById(id);
            if (tile == null) {
                tile = new TileEntity();
                tile.id = id;
                tile.tenantId = tenant;
                tile.kind = "single";
                tile.aliasOf = group;
                tile.persist();
            } else if (tile.tenantId.equals(tenant)) {
                tile.aliasOf = group;
            }
        }
        // aliases of a folded tile (an earlier group) now point at the new group
        TileEntity.update("aliasOf = ?1 where aliasOf in ?2 and tenantId = ?3", group, others, tenant);

        // Reactions move to the group, one per user and type (the earliest one's time kept).
        Set<ReactionEntity.Key> onGroup = new HashSet<>();
        for (ReactionEntity r : ReactionEntity.<ReactionEntity>list("tileId = ?1", group)) {
            onGroup.add(new ReactionEntity.Key(group, r.userId, r.type));
        }
        Map<ReactionEntity.Key, ReactionEntity> moving = new LinkedHashMap<>();
        for (ReactionEntity r : ReactionEntity.<ReactionEntity>list(
                "tileId in ?1 and tenantId = ?2 order by createdAt", others, tenant)) {
            ReactionEntity.Key key = new ReactionEntity.Key(group, r.userId, r.type);
            if (!onGroup.contains(key)) {
                moving.putIfAbsent(key, r);
            }
        }
        ReactionEntity.delete("tileId in ?1 and tenantId = ?2", others, tenant);
        for (Map.Entry<ReactionEntity.Key, ReactionEntity> m : moving.entrySet()) {
            ReactionEntity r = m.getValue();
            Instant createdAt = r.createdAt;
            ReactionEntity.of(group, r.userId, r.type, r.tenantId, createdAt).persist();
        }
        CommentEntity.update("tileId = ?1 where tileId in ?2 and tenantId = ?3", group, others, tenant);
    }
}
