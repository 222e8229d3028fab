package com.activityfeed.social.tiles;

import com.activityfeed.kafka.outbox.AfterCommit;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.TileRef;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tiles feed-service announced on {@code feed.changes}: enough to check a reaction or comment
 * target without calling the feed. A folded tile stays as an alias of its group; when tiles fold,
 * their reactions move to the group (one per user and type) and their comments follow.
 */
@ApplicationScoped
public class TileProjection {
    private final AgroalDataSource dataSource;
    private final TileWaiters waiters;
    private final TransactionSynchronizationRegistry transactions;

    public TileProjection(AgroalDataSource dataSource, TileWaiters waiters,
                          TransactionSynchronizationRegistry transactions) {
        this.dataSource = dataSource;
        this.waiters = waiters;
        this.transactions = transactions;
    }

    /** A tile a reaction or comment may target: never an alias, never another tenant's. */
    public record Target(UUID id, String kind, List<String> actorIds) {
        public boolean isActor(String userId) {
            return actorIds.contains(userId);
        }
    }

    /** Applies one change of the feed's log; changes that say nothing about tiles are ignored. */
    @Transactional
    public void apply(FeedChange change) {
        List<UUID> seen = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            switch (change.event()) {
                case FeedEvents.TILE_CREATED, FeedEvents.TILE_UPDATED -> {
                    if (change.tile() != null) {
                        remember(c, change.tenantId(), change.tile());
                        seen.add(change.tile().id());
                    }
                }
                case FeedEvents.TILE_FOLDED -> {
                    TileRef group = change.tile() != null ? change.tile()
                            : new TileRef(change.tileId(), "group", List.of());
                    if (group.id() == null) {
                        return;
                    }
                    remember(c, change.tenantId(), group);
                    fold(c, change.tenantId(), group.id(),
                            change.foldedTileIds() == null ? List.of() : change.foldedTileIds());
                    seen.add(group.id());
                    seen.addAll(change.foldedTileIds() == null ? List.of() : change.foldedTileIds());
                }
                case FeedEvents.TILE_REMOVED -> {
                    UUID id = change.tile() != null ? change.tile().id() : change.tileId();
                    if (id != null) {
                        remove(c, change.tenantId(), id);
                    }
                }
                default -> {
                    if (change.tile() != null) {
                        remember(c, change.tenantId(), change.tile());
                        seen.add(change.tile().id());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot project feed change " + change.seq() + " of " + change.tenantId(), e);
        }
        if (!seen.isEmpty()) {
            AfterCommit.run(transactions, () -> seen.forEach(waiters::seen));
        }
    }

    /**
     * Locks and returns the tile a request targets, following an alias to its group. The share
     * lock makes a fold that is being applied wait for this transaction, or this one see the fold.
     */
    public Optional<Target> lockTarget(Connection c, String tenant, UUID id) throws SQLException {
        Optional<Row> row = lockRow(c, id);
        if (row.isPresent() && row.get().aliasOf() != null) {
            row = lockRow(c, row.get().aliasOf());
        }
        return row.filter(r -> r.tenant().equals(tenant) && !r.removed())
                .map(r -> new Target(r.id(), r.kind(), r.actorIds()));
    }

    /** Whether the projection has heard of the tile at all, for any tenant (a request then need not wait). */
    public boolean known(UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tile WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read tile " + id, e);
        }
    }

    private record Row(UUID id, String tenant, String kind, List<String> actorIds, UUID aliasOf, boolean removed) {
    }

    private Optional<Row> lockRow(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, tenant_id, kind, actor_ids, alias_of, removed FROM tile WHERE id = ? FOR SHARE")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Array actors = rs.getArray(4);
                return Optional.of(new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        actors == null ? List.of() : Arrays.asList((String[]) actors.getArray()),
                        rs.getObject(5, UUID.class), rs.getBoolean(6)));
            }
        }
    }

    private void remember(Connection c, String tenant, TileRef tile) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tile (id, tenant_id, kind, actor_ids) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, actor_ids = excluded.actor_ids
                WHERE tile.tenant_id = excluded.tenant_id""")) {
            ps.setObject(1, tile.id());
            ps.setString(2, tenant);
            ps.setString(3, tile.kind());
            ps.setArray(4, c.createArrayOf("text", tile.actorIds().toArray()));
            ps.executeUpdate();
        }
    }

    private void fold(Connection c, String tenant, UUID group, List<UUID> folded) throws SQLException {
        List<UUID> others = folded.stream().filter(id -> !id.equals(group)).toList();
        if (others.isEmpty()) {
            return;
        }
        Array ids = c.createArrayOf("uuid", others.toArray());
        // A folded tile social never saw still becomes an alias, so requests naming it reach the group.
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tile (id, tenant_id, kind, alias_of) SELECT f, ?, 'single', ? FROM unnest(?::uuid[]) f
                ON CONFLICT (id) DO UPDATE SET alias_of = excluded.alias_of WHERE tile.tenant_id = excluded.tenant_id;
                UPDATE tile SET alias_of = ? WHERE alias_of = ANY (?) AND tenant_id = ?;
                INSERT INTO reaction (tile_id, user_id, type, tenant_id, created_at)
                SELECT ?, user_id, type, tenant_id, min(created_at) FROM reaction
                WHERE tile_id = ANY (?) AND tenant_id = ? GROUP BY user_id, type, tenant_id
                ON CONFLICT DO NOTHING;
                DELETE FROM reaction WHERE tile_id = ANY (?) AND tenant_id = ?;
                UPDATE comment SET tile_id = ? WHERE tile_id = ANY (?) AND tenant_id = ?""")) {
            int i = 1;
            ps.setString(i++, tenant);
            ps.setObject(i++, group);
            ps.setArray(i++, ids);
            ps.setObject(i++, group);
            ps.setArray(i++, ids);
            ps.setString(i++, tenant);
            ps.setObject(i++, group);
            ps.setArray(i++, ids);
            ps.setString(i++, tenant);
            ps.setArray(i++, ids);
            ps.setString(i++, tenant);
            ps.setObject(i++, group);
            ps.setArray(i++, ids);
            ps.setString(i, tenant);
            ps.execute();
        }
    }

    private void remove(Connection c, String tenant, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE tile SET removed = true WHERE id = ? AND tenant_id = ?")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            ps.executeUpdate();
        }
    }
}
