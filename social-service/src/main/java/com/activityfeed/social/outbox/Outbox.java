package com.activityfeed.social.outbox;

import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.kafka.outbox.OutboxRelay;
import com.activityfeed.kafka.tracing.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes a {@link SocialUpdate} to the outbox table inside the caller's transaction, so the update
 * exists exactly when the change it describes was committed; the relay ({@link SocialRelay}) sends
 * it right after commit. The row keeps the trace context of the current span (the request that
 * made the change), so the relay's send to {@code social.updates} continues that trace.
 */
@ApplicationScoped
public class Outbox {
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    public Outbox(TransactionSynchronizationRegistry transactions, OutboxRelay relay) {
        this.transactions = transactions;
        this.relay = relay;
    }

    /**
     * Serialises the tenant's social writers until commit, so that outbox position order is
     * commit order within a tenant and {@code social.updates} carries them in that order.
     */
    public void lockTenant(Connection connection, String tenant) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 17))")) {
            ps.setString(1, "social-outbox:" + tenant);
            ps.execute();
        }
    }

    /** Builds the update with a fresh id and stores it; the caller's transaction must hold {@link #lockTenant}. */
    public SocialUpdate append(Connection connection, String tenant, SocialUpdate.Kind kind,
                               SocialUpdate.Reaction reaction, SocialUpdate.CommentChange comment,
                               SocialUpdate.Thread thread, SocialUpdate.Message message) throws SQLException {
        SocialUpdate update = new SocialUpdate(SocialUpdate.VERSION, UUID.randomUUID(), tenant, kind, Instant.now(),
                reaction, comment, thread, message);
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO outbox (id, tenant_id, message, traceparent) VALUES (?, ?, ?, ?)")) {
            ps.setObject(1, update.id());
            ps.setString(2, tenant);
            ps.setString(3, MessageCodec.write(update));
            ps.setString(4, KafkaTracing.traceparent(Span.current().getSpanContext()));
            ps.executeUpdate();
        }
        relay.wakeAfterCommit(transactions);
        return update;
    }
}
