package com.activityfeed.social.outbox;

import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.kafka.outbox.OutboxRelay;
import com.activityfeed.kafka.tracing.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

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
    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    public Outbox(EntityManager entityManager, TransactionSynchronizationRegistry transactions, OutboxRelay relay) {
        this.entityManager = entityManager;
        this.transactions = transactions;
        this.relay = relay;
    }

    /**
     * Serialises the tenant's social writers until commit, so that outbox position order is
     * commit order within a tenant and {@code social.updates} carries them in that order.
     */
    public void lockTenant(String tenant) {
        // A PostgreSQL advisory lock has no JPQL form; in FROM, the void function yields one row.
        entityManager.createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(:key, 17))")
                .setParameter("key", "social-outbox:" + tenant)
                .getSingleResult();
    }

    /** Builds the update with a fresh id and stores it; the caller's transaction must hold {@link #lockTenant}. */
    public SocialUpdate append(String tenant, SocialUpdate.Kind kind,
                               SocialUpdate.Reaction reaction, SocialUpdate.CommentChange comment,
                               SocialUpdate.Thread thread, SocialUpdate.Message message) {
        SocialUpdate update = new SocialUpdate(SocialUpdate.VERSION, UUID.randomUUID(), tenant, kind, Instant.now(),
                reaction, comment, thread, message);
        OutboxEntry entry = new OutboxEntry();
        entry.id = update.id();
        entry.tenantId = tenant;
        entry.message = MessageCodec.write(update);
        entry.traceparent = KafkaTracing.traceparent(Span.current().getSpanContext());
        // IDENTITY position: inserted now, in the caller's transaction, after the change it describes
        entry.persist();
        relay.wakeAfterCommit(transactions);
        return update;
    }
}
