package com.activityfeed.feed.changes;

import com.activityfeed.feed.sql.BatchWrites;
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
 * the same tenant never interleave. The lock hands out the numbers; changes are written as one
 * batch (the sequence update, the log and outbox rows), and the relay is woken right after
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

    private final BatchWrites writes;

    public TenantLog(TransactionSynchronizationRegistry transactions, OutboxRelay relay, BatchWrites writes) {
        this.transactions = transactions;
        this.relay = relay;
        this.writes = writes;
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
         * Writes the queued changes: the new last number, the log rows and their outbox rows as one
         * batch ({@link BatchWrites}), and wakes the relay once the transaction commits.
         */
        public List<FeedChange> flush() throws SQLException {
            if (queued.isEmpty()) {
                return List.of();
            }
            int n = queued.size();
            long first = last - n + 1;
            Instant at = Instant.now();
            List<FeedChange> changes = new ArrayList<>(n);
            List<ChangeRecords.Change> log = new ArrayList<>(n);
            List<ChangeRecords.Outbox> outbox = new ArrayList<>(n);
            String current = null;
            boolean currentRead = false;
            for (Entry entry : queued) {
                FeedChange change = new FeedChange(FeedChange.VERSION, tenant, first + changes.size(), null,
                        entry.event(), entry.tileId(), entry.tile(), entry.foldedTileIds(), entry.types(), at,
                        entry.sourceAt(), entry.data());
                changes.add(change);
                ChangeRecords.Change row = new ChangeRecords.Change();
                row.tenantId = tenant;
                row.seq = change.seq();
                row.event = change.event();
                row.tileId = change.tileId();
                row.types = change.types().toArray(String[]::new);
                row.message = MessageCodec.write(change);
                log.add(row);
                String trace = entry.traceparent();
                if (trace == null) {
                    if (!currentRead) {
                        current = KafkaTracing.traceparent(Span.current().getSpanContext());
                        currentRead = true;
                    }
                    trace = current;
                }
                outbox.add(new ChangeRecords.Outbox(tenant, change.seq(), trace));
            }
            ChangeRecords.TenantSeq seq = new ChangeRecords.TenantSeq(tenant, last);
            writes.on(connection, session -> {
                session.update(seq);
                session.insertMultiple(log);
                session.insertMultiple(outbox);
            });
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

    /** Up to {@code limit} changes after {@code afterSeq}, in order, read for the streams ({@link MessageCodec#readFeedChangeForStream}). */
    public List<FeedChange> after(Connection connection, String tenant, long afterSeq, int limit) throws SQLException {
        List<FeedChange> changes = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT message FROM change_log WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            ps.setString(1, tenant);
            ps.setLong(2, afterSeq);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(MessageCodec.readFeedChangeForStream(rs.getString(1)));
                }
            }
        }
        return changes;
    }
}
