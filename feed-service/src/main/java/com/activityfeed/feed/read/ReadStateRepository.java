package com.activityfeed.feed.read;

import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.feed.tiles.FeedFilter;
import com.activityfeed.feed.tiles.TileAliases;
import com.activityfeed.feed.tiles.TileQueries;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Per-user read state: a {@link ReadWatermark} plus per-tile {@link TileRead}s above it, both
 * compared with contentSeq. Hibernate ORM with Panache over Flyway's tables. The two upserts stay
 * single native statements: "insert, or raise to the greater value" read first and written back
 * would let two concurrent marks of the same user lose one (or collide on the first insert). Tile
 * aliases, the tenant's last change and the unread count are the hot path's JDBC helpers; they run
 * on the session's own connection, so they see this transaction's writes.
 */
@ApplicationScoped
public class ReadStateRepository {
    private static final FeedFilter UNFILTERED = FeedFilter.parse(null, null, null, null, null, null, null,
            null, null, null);

    private final TenantLog tenantLog;
    private final TileQueries queries;

    public ReadStateRepository(TenantLog tenantLog, TileQueries queries) {
        this.tenantLog = tenantLog;
        this.queries = queries;
    }

    /** Marks tiles (ids or aliases) read at their current content; ids the tenant does not have are ignored. */
    @Transactional
    public TileQueries.Unread markRead(String tenant, String user, List<UUID> tileIds) {
        Session session = session();
        Set<UUID> resolved = session.doReturningWork(c -> {
            Set<UUID> ids = new LinkedHashSet<>();
            for (UUID id : tileIds) {
                ids.add(TileAliases.resolve(c, tenant, id));
            }
            return ids;
        });
        // a tile of another tenant matches no row of the SELECT, so it is never marked
        session.createNativeMutationQuery("""
                        INSERT INTO tile_read (tenant_id, user_id, tile_id, content_seq)
                        SELECT t.tenant_id, ?1, t.id, t.content_seq FROM tile t WHERE t.tenant_id = ?2 AND t.id IN (?3)
                        ON CONFLICT (tenant_id, user_id, tile_id) DO UPDATE
                            SET content_seq = greatest(tile_read.content_seq, excluded.content_seq)""")
                .setParameter(1, user).setParameter(2, tenant).setParameterList(3, List.copyOf(resolved))
                .executeUpdate();
        return unread(session, tenant, user);
    }

    /**
     * Moves the watermark to the tenant's newest change: every tile whose content is at or below it
     * is read. A tile still being written has a higher number (the tenant's sequence row is locked
     * until that commit), so it stays unread. Per-tile reads below the watermark are dropped.
     */
    @Transactional
    public TileQueries.Unread markAllRead(String tenant, String user) {
        Session session = session();
        long seq = session.doReturningWork(c -> tenantLog.lastSeq(c, tenant));
        session.createNativeMutationQuery("""
                        INSERT INTO read_watermark (tenant_id, user_id, seq) VALUES (?1, ?2, ?3)
                        ON CONFLICT (tenant_id, user_id) DO UPDATE SET seq = greatest(read_watermark.seq, excluded.seq)""")
                .setParameter(1, tenant).setParameter(2, user).setParameter(3, seq).executeUpdate();
        TileRead.delete("tenantId = ?1 and userId = ?2 and contentSeq <= ?3", tenant, user, seq);
        return unread(session, tenant, user);
    }

    private TileQueries.Unread unread(Session session, String tenant, String user) {
        return session.doReturningWork(c -> queries.unreadCount(c, tenant, user, UNFILTERED));
    }

    private static Session session() {
        return Panache.getEntityManager().unwrap(Session.class);
    }
}
