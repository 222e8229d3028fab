package com.activityfeed.feed.changes;

import com.activityfeed.feed.sql.SqlArrays;
import com.activityfeed.kafka.tracing.KafkaTracing;
import com.activityfeed.kafka.outbox.OutboxRelay;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.TileRef;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongFunction;

/**
 * The one owner of a tenant's change log (SPEC §1). Every writer that changes what a client sees
 * {@linkplain #lock locks} the tenant first: the {@code tenant_seq} row, held until commit, serialises
 * the tenant's writers, so sequence order is commit order and a fold, a reaction and an expiry of
 * the same tenant never interleave. The lock hands out the numbers; changes are written with one
 * sequence update and one statement for log and outbox rows, and the relay is woken right after
 * commit to publish them to {@code feed.changes}. Reads for resume live here too.
 *
 * <p>Each outbox row keeps the W3C trace context of the work that caused the change (the entry's
 * {@code traceparent}, else the span current at {@link Appender#flush}), so the relay's send and
 * every stream's write continue that trace.
 */
@ApplicationScoped
public class TenantLog {
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    public TenantLog(TransactionSynchronizationRegistry transactions, OutboxRelay relay) {
        this.transactions = transactions;
        this.relay = relay;
    }

    /**
     * What a change says; the log assigns its sequence number and time.
     *
     * @param traceparent the trace context of the cause (the consumer span of the event that caused
     *                    it, in a batch of many traces); null: the span current when written, if any
     */
    public record Entry(String event, UUID tileId, TileRef tile, List<UUID> foldedTileIds, List<String> types,
                        Instant sourceAt, JsonNode data, String traceparent) {
        public Entry(String event, UUID tileId, TileRef tile, List<UUID> foldedTileIds, List<String> types,
                     Instant sourceAt, JsonNode data) {
            this(event, tileId, tile, foldedTileIds, types, sourceAt, data, null);
        }
    }

    /**
     * Locks {@code tenant}'s sequence (creating it on first use) on {@code connection}, which must
     * take part in the current transaction, and returns the appender that hands out its numbers.
     * Locking again in the same transaction is harmless and sees the numbers handed out so far.
     */
    public Appender lock(Connection connection, String tenant) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT INTO tenant_seq (tenant_id, last_seq) VALUES (?, 0)
                ON CONFLICT (tenant_id) DO UPDATE SET last_seq = tenant_seq.last_seq
                RETURNING last_seq""")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Appender(connection, tenant, rs.getLong(1));
            }
        }
    }

    /**
     * A locked tenant's next numbers. {@link #add} queues a change and returns its number (the
     * entry may carry that number in its data); {@link #flush} writes the queued changes. One
     * appender belongs to one transaction.
     */
    public final class Appender {
        private final Connection connection;
        private final String tenant;
        private long last;
        private final List<Entry> queued = new ArrayList<>();

        private Appender(Connection connection, String tenant, long last) {
            this.connection = connection;
            this.tenant = tenant;
            this.last = last;
        }

        public String tenant() {
            return tenant;
        }

        /** Queues the entry built for the next number; returns that number. */
        public long add(LongFunction<Entry> entry) {
            long seq = last + 1;
            queued.add(entry.apply(seq));
            last = seq;
            return seq;
        }

        /** Queues {@code entry} under the next number; returns that number. */
        public long add(Entry entry) {
            return add(seq -> entry);
        }

        /** Adds and writes one change at once. */
        public FeedChange append(LongFunction<Entry> entry) throws SQLException {
            add(entry);
            return flush().getLast();
        }

        /** Adds and writes one change at once. */
        public FeedChange append(Entry entry) throws SQLException {
            return append(seq -> entry);
        }

        /**
         * Writes the queued changes: the new last number, the log rows and their outbox rows in one
         * statement, and wakes the relay once the transaction commits.
         */
        public List<FeedChange> flush() throws SQLException {
            if (queued.isEmpty()) {
                return List.of();
            }
            int n = queued.size();
            long first = last - n + 1;
            Instant at = Instant.now();
            List<FeedChange> changes = new ArrayList<>(n);
            Long[] seqs = new Long[n];
            String[] events = new String[n];
            UUID[] tileIds = new UUID[n];
            String[] types = new String[n];
            String[] messages = new String[n];
            String[] traces = new String[n];
            String current = null;
            boolean currentRead = false;
            for (int i = 0; i < n; i++) {
                Entry entry = queued.get(i);
                FeedChange change = new FeedChange(FeedChange.VERSION, tenant, first + i, null, entry.event(),
                        entry.tileId(), entry.tile(), entry.foldedTileIds(), entry.types(), at, entry.sourceAt(),
                        entry.data());
                changes.add(change);
                seqs[i] = change.seq();
                events[i] = change.event();
                tileIds[i] = change.tileId();
                types[i] = SqlArrays.literal(change.types());
                messages[i] = MessageCodec.write(change);
                if (entry.traceparent() != null) {
                    traces[i] = entry.traceparent();
                } else {
                    if (!currentRead) {
                        current = KafkaTracing.traceparent(Span.current().getSpanContext());
                        currentRead = true;
                    }
                    traces[i] = current;
                }
            }
            try (PreparedStatement ps = connection.prepareStatement("""
                    WITH seq AS (UPDATE tenant_seq SET last_seq = ? WHERE tenant_id = ?),
                    log AS (INSERT INTO change_log (tenant_id, seq, event, tile_id, types, message)
                            SELECT ?, u.seq, u.event, u.tile_id, u.types::text[], u.message
                            FROM unnest(?::bigint[], ?::text[], ?::uuid[], ?::text[], ?::text[])
                                 AS u(seq, event, tile_id, types, message))
                    INSERT INTO change_outbox (tenant_id, seq, traceparent)
                    SELECT ?, u.seq, u.traceparent FROM unnest(?::bigint[], ?::text[]) AS u(seq, traceparent)""")) {
                ps.setLong(1, last);
                ps.setString(2, tenant);
                ps.setString(3, tenant);
                ps.setArray(4, connection.createArrayOf("bigint", seqs));
                ps.setArray(5, connection.createArrayOf("text", events));
                ps.setArray(6, connection.createArrayOf("uuid", tileIds));
                ps.setArray(7, connection.createArrayOf("text", types));
                ps.setArray(8, connection.createArrayOf("text", messages));
                ps.setString(9, tenant);
                ps.setArray(10, connection.createArrayOf("bigint", seqs));
                ps.setArray(11, connection.createArrayOf("text", traces));
                ps.executeUpdate();
            }
            queued.clear();
            relay.wakeAfterCommit(transactions);
            return changes;
        }
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
}
