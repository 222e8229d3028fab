package com.activityfeed.feed.changes;

import com.activityfeed.kafka.outbox.OutboxRelay;
import com.activityfeed.kafka.outbox.OutboxRelays;
import com.activityfeed.messages.Topics;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The feed's use of the platform's {@link OutboxRelay}: the change outbox, in per-tenant sequence
 * order, to {@code feed.changes} (key = tenant), tenants interleaved within a round. A row's
 * {@code traceparent} (the span that wrote the change, see {@link TenantLog}) continues the trace.
 */
@ApplicationScoped
public class ChangeRelay {
    static final OutboxRelay.Use USE = new OutboxRelay.Use("feed-change-relay", Topics.FEED_CHANGES,
            0x6166702d72656cL, // "afp-rel"
            """
            WITH RECURSIVE tenants(tenant_id) AS (
                (SELECT tenant_id FROM change_outbox ORDER BY tenant_id LIMIT 1)
                UNION ALL
                SELECT (SELECT o.tenant_id FROM change_outbox o WHERE o.tenant_id > t.tenant_id
                        ORDER BY o.tenant_id LIMIT 1)
                FROM tenants t WHERE t.tenant_id IS NOT NULL)
            SELECT t.tenant_id, o.seq, l.message, o.appended_at, o.traceparent, o.ctid::text
            FROM tenants t
            CROSS JOIN LATERAL (SELECT seq, appended_at, traceparent, ctid, row_number() OVER (ORDER BY seq) AS rank
                                FROM change_outbox WHERE tenant_id = t.tenant_id ORDER BY seq LIMIT ?) o
            JOIN change_log l ON l.tenant_id = t.tenant_id AND l.seq = o.seq
            WHERE t.tenant_id IS NOT NULL
            ORDER BY o.rank, t.tenant_id
            LIMIT ?""",
            """
            DELETE FROM change_outbox WHERE ctid = ANY (?::text[]::tid[]) AND seq = ANY (?::bigint[])""", "change_outbox",
            "feed.changes.relayed", "feed.changes.pending", "committed_to_published");

    @Produces
    @Singleton
    @Startup
    OutboxRelay relay(OutboxRelays relays, ChangeRelayConfig config) {
        return relays.start(USE, config);
    }
}
