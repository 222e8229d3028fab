package com.activityfeed.feed.housekeeping;

import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.TileRef;
import com.activityfeed.web.retention.RetentionPolicy;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Retention (SPEC §6a): a tenant's tiles whose newest member occurred before the tenant's cut-off
 * are deleted with their events, aliases, read marks and mirrored social state, and announced as
 * {@code activity.event.removed} with reason {@code retention}, so open clients drop them like an
 * expired tile and social-service's projection refuses new reactions; events no tile shows any
 * more (expired ones) go once they are older than the cut-off. A group keeps its older members
 * while its newest one is within retention (it is one tile; a group spans one grouping window).
 * <p>
 * Work goes in batches of at most {@link RetentionConfig#batchSize()} events, one short
 * transaction each: the candidates are found without the tenant's lock, which is then held only
 * for the deletes of that batch (the tile's age is checked again under it).
 */
@ApplicationScoped
public class RetentionService {
    public static final String REASON_RETENTION = "retention";
    private static final Logger LOG = Logger.getLogger(RetentionService.class);

    private final AgroalDataSource dataSource;
    private final TenantLog tenantLog;
    private final RetentionPolicy policy;
    private final RetentionConfig config;
    private final Counter eventsDeleted;
    private final Counter tilesDeleted;

    public RetentionService(AgroalDataSource dataSource, TenantLog tenantLog, RetentionPolicy policy,
                            RetentionConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.tenantLog = tenantLog;
        this.policy = policy;
        this.config = config;
        this.eventsDeleted = counter(registry, "event");
        this.tilesDeleted = counter(registry, "tile");
    }

    private static Counter counter(MeterRegistry registry, String kind) {
        return Counter.builder("feed.retention.deleted").tag("kind", kind)
                .description("rows deleted by retention").register(registry);
    }

    /** What one tenant's run deleted, and in how many transactions. */
    public record Result(String tenant, int days, Instant cutoff, long tiles, long events, int transactions) {
    }

    /** One batch: the tiles and events it deleted. */
    record Batch(int tiles, int events) {
        boolean empty() {
            return tiles == 0 && events == 0;
        }
    }

    /** Applies every tenant's retention at {@code now}; stops between batches when {@code stopping} says so. */
    public List<Result> run(Instant now, BooleanSupplier stopping) {
        List<Result> results = new ArrayList<>();
        for (String tenant : tenants()) {
            if (stopping.getAsBoolean()) {
                break;
            }
            Result r = retain(tenant, policy.cutoff(tenant, now), config.batchSize(), stopping);
            if (r.transactions() > 0) {
                LOG.infof("retention: tenant %s (%d days, cut-off %s): %d tiles and %d events deleted in %d transactions",
                        tenant, policy.days(tenant), r.cutoff(), r.tiles(), r.events(), r.transactions());
            }
            results.add(r);
        }
        return results;
    }

    /** Deletes what {@code tenant} holds from before {@code cutoff}, batch by batch, until nothing is left. */
    public Result retain(String tenant, Instant cutoff, int batchSize, BooleanSupplier stopping) {
        long tiles = 0;
        long events = 0;
        int transactions = 0;
        while (!stopping.getAsBoolean()) {
            Batch b = QuarkusTransaction.requiringNew().call(() -> batch(tenant, cutoff, batchSize));
            if (b.empty()) {
                break;
            }
            transactions++;
            tiles += b.tiles();
            events += b.events();
            tilesDeleted.increment(b.tiles());
            eventsDeleted.increment(b.events());
        }
        return new Result(tenant, policy.days(tenant), cutoff, tiles, events, transactions);
    }

    /** One transaction: up to {@code batchSize} events' worth of old tiles, or else of tile-less old events. */
    Batch batch(String tenant, Instant cutoff, int batchSize) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<UUID> candidates = oldTiles(c, tenant, cutoff, batchSize);
            if (candidates.isEmpty()) {
                return new Batch(0, deleteTilelessEvents(c, tenant, cutoff, batchSize));
            }
            TenantLog.Appender log = tenantLog.lock(c, tenant);
            List<UUID> deleted = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM tile WHERE id = ANY (?) AND tenant_id = ? AND latest_at < ?
                    RETURNING id, kind, type, actor_ids""")) {
                ps.setArray(1, c.createArrayOf("uuid", candidates.toArray()));
                ps.setString(2, tenant);
                ps.setTimestamp(3, Timestamp.from(cutoff));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        Array actors = rs.getArray(4);
                        List<String> actorIds = actors == null ? List.of() : Arrays.asList((String[]) actors.getArray());
                        ObjectNode data = MessageCodec.mapper().createObjectNode();
                        data.put("tileId", id.toString());
                        data.put("reason", REASON_RETENTION);
                        log.add(new TenantLog.Entry(FeedEvents.TILE_REMOVED, id,
                                new TileRef(id, rs.getString(2), actorIds), null, List.of(rs.getString(3)), null, data));
                        deleted.add(id);
                    }
                }
            }
            if (deleted.isEmpty()) {
                return new Batch(0, 0); // grew back into retention meanwhile
            }
            Array ids = c.createArrayOf("uuid", deleted.toArray());
            int events = update(c, "DELETE FROM event WHERE tile_id = ANY (?) AND tenant_id = ?", ids, tenant);
            update(c, "DELETE FROM tile_alias WHERE group_id = ANY (?) AND tenant_id = ?", ids, tenant);
            update(c, "DELETE FROM tile_read WHERE tile_id = ANY (?) AND tenant_id = ?", ids, tenant);
            update(c, "DELETE FROM tile_social WHERE tile_id = ANY (?) AND tenant_id = ?", ids, tenant);
            update(c, "DELETE FROM tile_reaction WHERE tile_id = ANY (?) AND tenant_id = ?", ids, tenant);
            // a grouping window that still names a deleted tile would grow a tile that is gone
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM grouping_window WHERE tenant_id = ? AND (group_id = ANY (?) OR singles && ?)")) {
                ps.setString(1, tenant);
                ps.setArray(2, ids);
                ps.setArray(3, ids);
                ps.executeUpdate();
            }
            log.flush();
            return new Batch(deleted.size(), events);
        }
    }

    /** The oldest tiles before the cut-off, as many as hold about {@code batchSize} events (at least one tile). */
    private static List<UUID> oldTiles(Connection c, String tenant, Instant cutoff, int batchSize) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, count FROM tile WHERE tenant_id = ? AND latest_at < ? ORDER BY latest_at, id LIMIT ?""")) {
            ps.setString(1, tenant);
            ps.setTimestamp(2, Timestamp.from(cutoff));
            ps.setInt(3, batchSize);
            try (ResultSet rs = ps.executeQuery()) {
                long events = 0;
                while (rs.next()) {
                    int count = Math.max(1, rs.getInt(2));
                    if (!ids.isEmpty() && events + count > batchSize) {
                        break;
                    }
                    ids.add(rs.getObject(1, UUID.class));
                    events += count;
                }
            }
        }
        return ids;
    }

    /** Events no tile shows (expired ones) older than the cut-off; under the lock, as expiry and rebuild write them under it. */
    private int deleteTilelessEvents(Connection c, String tenant, Instant cutoff, int batchSize) throws SQLException {
        try (PreparedStatement probe = c.prepareStatement(
                "SELECT 1 FROM event WHERE tenant_id = ? AND tile_id IS NULL AND occurred_at < ? LIMIT 1")) {
            probe.setString(1, tenant);
            probe.setTimestamp(2, Timestamp.from(cutoff));
            try (ResultSet rs = probe.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
            }
        }
        tenantLog.lock(c, tenant);
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM event WHERE id IN (SELECT id FROM event
                    WHERE tenant_id = ? AND tile_id IS NULL AND occurred_at < ? ORDER BY occurred_at LIMIT ?)""")) {
            ps.setString(1, tenant);
            ps.setTimestamp(2, Timestamp.from(cutoff));
            ps.setInt(3, batchSize);
            return ps.executeUpdate();
        }
    }

    private static int update(Connection c, String sql, Array ids, String tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, ids);
            ps.setString(2, tenant);
            return ps.executeUpdate();
        }
    }

    private List<String> tenants() {
        List<String> tenants = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT tenant_id FROM tenant_seq ORDER BY tenant_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tenants.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list tenants for retention", e);
        }
        return tenants;
    }
}
