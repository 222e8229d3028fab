package com.activityfeed.feed.ingest;

import com.activityfeed.feed.catalog.TypeCatalog;
import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.feed.events.EventWriter;
import com.activityfeed.feed.grouping.WindowRepository;
import com.activityfeed.feed.tiles.TileBuilder;
import com.activityfeed.feed.tiles.TileSocialStore;
import com.activityfeed.feed.tiles.TileStore;
import com.activityfeed.messages.RawEvent;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Stores a batch of raw events and groups them into tiles, in one transaction, in log order.
 * Events already stored are skipped (idempotent on id), so a redelivered batch changes nothing.
 * Per tenant, a {@link GroupingPass} takes the tenant's log lock first ({@link TenantLog#lock}): it
 * serialises a tenant's writers (also a replica still finishing a batch after a rebalance), so
 * events, windows and changes of a tenant are applied in one order.
 */
@ApplicationScoped
public class EventIngestService {
    private final AgroalDataSource dataSource;
    private final GroupingPass.Tools tools;

    public EventIngestService(AgroalDataSource dataSource, TenantLog tenantLog, TypeCatalog catalog, TileBuilder builder,
                              WindowRepository windows, TileStore tiles, TileSocialStore social, EventWriter events) {
        this.dataSource = dataSource;
        this.tools = new GroupingPass.Tools(tenantLog, catalog, builder, windows, tiles, social, events);
    }

    /** Stores and groups {@code events} (in log order); returns how many were new. */
    @Transactional
    public int store(List<RawEvent> events) {
        return store(events, Map.of());
    }

    /**
     * Like {@link #store(List)}; {@code traces} maps an event id to the trace context its changes
     * carry to the relay and the streams (the event's processing span).
     */
    @Transactional
    public int store(List<RawEvent> events, Map<UUID, String> traces) {
        Map<String, List<RawEvent>> byTenant = new TreeMap<>();
        for (RawEvent e : events) {
            byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>()).add(e);
        }
        int stored = 0;
        try (Connection c = dataSource.getConnection()) {
            for (Map.Entry<String, List<RawEvent>> tenant : byTenant.entrySet()) {
                stored += new GroupingPass(c, tenant.getKey(), tools, traces).apply(tenant.getValue());
            }
        } catch (SQLException e) {
            throw new StoreException("cannot store a batch of " + events.size() + " events", e);
        }
        return stored;
    }

    /** Re-groups a tenant's already stored events (a rebuild); same code path as live consumption. */
    @Transactional
    public void regroup(String tenant, List<RawEvent> events) {
        try (Connection c = dataSource.getConnection()) {
            pass(c, tenant).group(events);
        } catch (SQLException e) {
            throw new StoreException("cannot regroup events of " + tenant, e);
        }
    }

    private GroupingPass pass(Connection c, String tenant) {
        return new GroupingPass(c, tenant, tools, Map.of());
    }

    /** The batch could not be stored; whether retrying can help is the caller's call. */
    public static final class StoreException extends RuntimeException {
        public StoreException(String message, SQLException cause) {
            super(message, cause);
        }
    }
}
