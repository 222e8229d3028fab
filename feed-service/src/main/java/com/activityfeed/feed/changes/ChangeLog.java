package com.activityfeed.feed.changes;

import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.TileRef;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Appends to the tenant's change log inside the caller's transaction and reads it back for
 * resume. Every append also lands in the outbox, which {@link ChangeRelay} publishes to
 * {@code feed.changes} after commit; a crash between commit and send loses nothing.
 */
@ApplicationScoped
public class ChangeLog {
    private static final Object RELAY_SCHEDULED = new Object();

    private final TransactionSynchronizationRegistry transactions;
    private final ChangeRelay relay;

    public ChangeLog(TransactionSynchronizationRegistry transactions, ChangeRelay relay) {
        this.transactions = transactions;
        this.relay = relay;
    }

    /** What a change says; the log assigns its sequence number and time. */
    public record Entry(String event, UUID tileId, TileRef tile, List<UUID> foldedTileIds, List<String> types,
                        Instant sourceAt, JsonNode data) {
    }

    /**
     * Appends one change for {@code tenant} on {@code connection}, which must take part in the
     * current transaction. Returns the appended record, with its sequence number.
     */
    public FeedChange append(Connection connection, String tenant, Entry entry) throws SQLException {
        long seq;
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT INTO tenant_seq (tenant_id, last_seq) VALUES (?, 1)
                ON CONFLICT (tenant_id) DO UPDATE SET last_seq = tenant_seq.last_seq + 1
                RETURNING last_seq""")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        FeedChange change = new FeedChange(FeedChange.VERSION, tenant, seq, null, entry.event(), entry.tileId(),
                entry.tile(), entry.foldedTileIds(), entry.types(), Instant.now(), entry.sourceAt(), entry.data());
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT INTO change_log (tenant_id, seq, event, tile_id, types, message) VALUES (?, ?, ?, ?, ?, ?);
                INSERT INTO change_outbox (tenant_id, seq) VALUES (?, ?)""")) {
            ps.setString(1, tenant);
            ps.setLong(2, seq);
            ps.setString(3, entry.event());
            ps.setObject(4, entry.tileId());
            ps.setArray(5, connection.createArrayOf("text", change.types().toArray()));
            ps.setString(6, MessageCodec.write(change));
            ps.setString(7, tenant);
            ps.setLong(8, seq);
            ps.executeUpdate();
        }
        wakeRelayAfterCommit();
        return change;
    }

    /**
     * Appends several changes for {@code tenant} at once (consecutive sequence numbers, in list
     * order) on {@code connection}, which must take part in the current transaction: one sequence
     * update and two batched inserts instead of a round trip pair per change.
     */
    public List<FeedChange> appendAll(Connection connection, String tenant, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return List.of();
        }
        long last;
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT INTO tenant_seq (tenant_id, last_seq) VALUES (?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET last_seq = tenant_seq.last_seq + excluded.last_seq
                RETURNING last_seq""")) {
            ps.setString(1, tenant);
            ps.setLong(2, entries.size());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                last = rs.getLong(1);
            }
        }
        long seq = last - entries.size() + 1;
        Instant at = Instant.now();
        List<FeedChange> changes = new ArrayList<>(entries.size());
        try (PreparedStatement log = connection.prepareStatement(
                "INSERT INTO change_log (tenant_id, seq, event, tile_id, types, message) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement outbox = connection.prepareStatement(
                     "INSERT INTO change_outbox (tenant_id, seq) VALUES (?, ?)")) {
            for (Entry entry : entries) {
                FeedChange change = new FeedChange(FeedChange.VERSION, tenant, seq, null, entry.event(), entry.tileId(),
                        entry.tile(), entry.foldedTileIds(), entry.types(), at, entry.sourceAt(), entry.data());
                changes.add(change);
                log.setString(1, tenant);
                log.setLong(2, seq);
                log.setString(3, entry.event());
                log.setObject(4, entry.tileId());
                log.setArray(5, connection.createArrayOf("text", change.types().toArray()));
                log.setString(6, MessageCodec.write(change));
                log.addBatch();
                outbox.setString(1, tenant);
                outbox.setLong(2, seq);
                outbox.addBatch();
                seq++;
            }
            log.executeBatch();
            outbox.executeBatch();
        }
        wakeRelayAfterCommit();
        return changes;
    }

    /** The tenant's newest change number, 0 when it has none. */
    public long lastSeq(Connection connection, String tenant) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT last_seq FROM tenant_seq WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The oldest change number still in the log for the tenant, or 0 when the log holds none. */
    public long oldestSeq(Connection connection, String tenant) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT seq FROM change_log WHERE tenant_id = ? ORDER BY seq LIMIT 1")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Up to {@code limit} changes after {@code afterSeq}, in order. */
    public List<FeedChange> after(Connection connection, String tenant, long afterSeq, int limit) throws SQLException {
        List<FeedChange> changes = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT message FROM change_log WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            ps.setString(1, tenant);
            ps.setLong(2, afterSeq);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(MessageCodec.readFeedChange(rs.getString(1)));
                }
            }
        }
        return changes;
    }

    private void wakeRelayAfterCommit() {
        if (transactions.getResource(RELAY_SCHEDULED) != null) {
            return;
        }
        transactions.putResource(RELAY_SCHEDULED, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wake();
                }
            }
        });
    }
}
