package com.activityfeed.social.housekeeping;

import com.activityfeed.web.retention.RetentionPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * social-service's retention (SPEC §6a), run by this service itself with the same settings as
 * feed-service's: comments, chat messages and reactions created before their tenant's cut-off are
 * deleted, so are threads (never {@code Main}) untouched since then with no message left, and
 * tile projections the feed removed before then (retention there announces each removal). Rows
 * exactly at the cut-off stay. Batches of {@link RetentionConfig#batchSize()} rows, one short
 * transaction each; no tenant lock is taken, as nothing is announced: the feed deletes the tiles
 * these rows hung on by the same cut-off.
 */
@ApplicationScoped
public class RetentionService {
    private static final Logger LOG = Logger.getLogger(RetentionService.class);

    /** A kind of row and how to find a batch of it: {@code %s} is the tenant condition; {@code :cutoff}, {@code :limit}. */
    enum Kind {
        COMMENT("comment", "SELECT id FROM comment WHERE %s AND created_at < :cutoff ORDER BY created_at LIMIT :limit"),
        CHAT_MESSAGE("chat_message", "SELECT id FROM chat_message WHERE %s AND created_at < :cutoff ORDER BY created_at LIMIT :limit"),
        REACTION("reaction", "SELECT ctid FROM reaction WHERE %s AND created_at < :cutoff ORDER BY created_at LIMIT :limit"),
        CHAT_THREAD("chat_thread", """
                SELECT id FROM chat_thread t WHERE %s AND NOT is_main AND updated_at < :cutoff
                  AND NOT EXISTS (SELECT 1 FROM chat_message m WHERE m.thread_id = t.id) ORDER BY updated_at LIMIT :limit"""),
        TILE("tile", """
                SELECT id FROM tile t WHERE %s AND seen_at < :cutoff
                  AND (removed OR (alias_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tile g WHERE g.id = t.alias_of)))
                ORDER BY seen_at LIMIT :limit""");

        final String table;
        final String select;

        Kind(String table, String select) {
            this.table = table;
            this.select = select;
        }

        String key() {
            return REACTION == this ? "ctid" : "id";
        }
    }

    private final EntityManager entityManager;
    private final RetentionPolicy policy;
    private final RetentionConfig config;
    private final Map<Kind, Counter> deleted = new java.util.EnumMap<>(Kind.class);

    public RetentionService(EntityManager entityManager, RetentionPolicy policy, RetentionConfig config,
                            MeterRegistry registry) {
        this.entityManager = entityManager;
        this.policy = policy;
        this.config = config;
        for (Kind kind : Kind.values()) {
            deleted.put(kind, Counter.builder("social.retention.deleted").tag("kind", kind.table)
                    .description("rows deleted by retention").register(registry));
        }
    }

    /** What a run deleted: per tenant, per kind, and in how many transactions. */
    public record Result(Map<String, Map<String, Long>> byTenant, int transactions) {
        public long count(String tenant, String kind) {
            return byTenant.getOrDefault(tenant, Map.of()).getOrDefault(kind, 0L);
        }
    }

    /**
     * Applies retention at {@code now}: the default cut-off to every tenant without an override (one
     * pass over the tables, no list of tenants needed), then each overridden tenant's own.
     */
    public Result run(Instant now, BooleanSupplier stopping) {
        Map<String, Map<String, Long>> byTenant = new TreeMap<>();
        int transactions = 0;
        List<String> overridden = new ArrayList<>(policy.overrides().keySet());
        transactions += retain(null, overridden, policy.cutoff("", now), config.batchSize(), stopping, byTenant);
        for (String tenant : overridden) {
            transactions += retain(tenant, List.of(), policy.cutoff(tenant, now), config.batchSize(), stopping, byTenant);
        }
        byTenant.forEach((tenant, counts) -> LOG.infof("retention: tenant %s (%d days): %s deleted", tenant,
                policy.days(tenant), counts));
        return new Result(byTenant, transactions);
    }

    /**
     * Deletes {@code tenant}'s rows from before {@code cutoff} ({@code tenant} null: every tenant but
     * {@code except}), kind by kind, batch by batch; returns the number of transactions that deleted.
     */
    public int retain(String tenant, List<String> except, Instant cutoff, int batchSize, BooleanSupplier stopping,
                      Map<String, Map<String, Long>> byTenant) {
        int transactions = 0;
        for (Kind kind : Kind.values()) {
            while (!stopping.getAsBoolean()) {
                Map<String, Long> batch = QuarkusTransaction.requiringNew()
                        .call(() -> batch(kind, tenant, except, cutoff, batchSize));
                if (batch.isEmpty()) {
                    break;
                }
                transactions++;
                batch.forEach((t, n) -> {
                    byTenant.computeIfAbsent(t, k -> new TreeMap<>()).merge(kind.table, n, Long::sum);
                    deleted.get(kind).increment(n);
                });
            }
        }
        return transactions;
    }

    /**
     * One transaction: up to {@code batchSize} rows of one kind; returns how many per tenant. A
     * bulk {@code DELETE … WHERE key IN (SELECT … LIMIT n) RETURNING tenant_id}, native SQL because
     * neither a bounded bulk delete nor {@code ctid} (reaction has a three-column key) has a query
     * language form, and loading each row as an entity to delete it would cost a round trip per row.
     */
    Map<String, Long> batch(Kind kind, String tenant, List<String> except, Instant cutoff, int batchSize) {
        String condition = tenant != null ? "tenant_id = :tenant" : except.isEmpty() ? "true" : "tenant_id NOT IN (:except)";
        String sql = "DELETE FROM " + kind.table + " WHERE " + kind.key() + " IN ("
                + kind.select.formatted(condition)
                + ") RETURNING tenant_id::text";
        Query query = entityManager.createNativeQuery(sql, String.class)
                .setParameter("cutoff", cutoff)
                .setParameter("limit", batchSize);
        if (tenant != null) {
            query.setParameter("tenant", tenant);
        } else if (!except.isEmpty()) {
            query.setParameter("except", except);
        }
        Map<String, Long> counts = new TreeMap<>();
        for (Object t : query.getResultList()) {
            counts.merge((String) t, 1L, Long::sum);
        }
        return counts;
    }
}
