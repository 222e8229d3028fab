package com.activityfeed.social.outbox;

import com.activityfeed.kafka.outbox.OutboxRelay;
import com.activityfeed.kafka.outbox.OutboxRelays;
import com.activityfeed.messages.Topics;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Social's use of the platform's {@link OutboxRelay}: the outbox, in position order per tenant, to
 * {@code social.updates} (key = tenant), tenants interleaved within a round. A crash after the
 * send and before the delete sends rows again: feed-service is idempotent on the update id.
 */
@ApplicationScoped
public class SocialRelay {
    static final OutboxRelay.Use USE = new OutboxRelay.Use("social-outbox-relay", Topics.SOCIAL_UPDATES,
            0x6166702d736f63L, // "afp-soc"
            """
            WITH RECURSIVE tenants(tenant_id) AS (
                (SELECT tenant_id FROM outbox ORDER BY tenant_id LIMIT 1)
                UNION ALL
                SELECT (SELECT o.tenant_id FROM outbox o WHERE o.tenant_id > t.tenant_id ORDER BY o.tenant_id LIMIT 1)
                FROM tenants t WHERE t.tenant_id IS NOT NULL)
            SELECT t.tenant_id, o.position, o.message, o.created_at, o.traceparent, o.ctid::text
            FROM tenants t
            CROSS JOIN LATERAL (SELECT position, message, created_at, traceparent, ctid, row_number() OVER (ORDER BY position) AS rank
                                FROM outbox WHERE tenant_id = t.tenant_id ORDER BY position LIMIT ?) o
            WHERE t.tenant_id IS NOT NULL
            ORDER BY o.rank, t.tenant_id
            LIMIT ?""",
            """
            DELETE FROM outbox WHERE ctid = ANY (?::text[]::tid[]) AND position = ANY (?::bigint[])""", "outbox",
            "social.updates.relayed", "social.outbox.pending", null);

    @Produces
    @Singleton
    @Startup
    OutboxRelay relay(OutboxRelays relays, OutboxConfig config) {
        return relays.start(USE, config);
    }
}
