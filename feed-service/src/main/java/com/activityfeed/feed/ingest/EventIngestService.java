package com.activityfeed.feed.ingest;

import com.activityfeed.feed.catalog.TypeCatalog;
import com.activityfeed.feed.changes.ChangeLog;
import com.activityfeed.feed.grouping.Decision;
import com.activityfeed.feed.grouping.EventFacts;
import com.activityfeed.feed.grouping.GroupingEngine;
import com.activityfeed.feed.grouping.GroupingSettings;
import com.activityfeed.feed.grouping.WindowRepository;
import com.activityfeed.feed.grouping.WindowState;
import com.activityfeed.feed.tiles.TileBuilder;
import com.activityfeed.feed.tiles.TileJson;
import com.activityfeed.feed.tiles.TileRow;
import com.activityfeed.feed.tiles.TileRows;
import com.activityfeed.feed.tiles.TileSocialStore;
import com.activityfeed.feed.tiles.TileStore;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.TileRef;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Stores a batch of raw events and groups them into tiles, in one transaction, in log order.
 * Events already stored are skipped (idempotent on id), so a redelivered batch changes nothing.
 * Per tenant, the tenant_seq row lock is taken first: it serialises a tenant's writers (also a
 * replica still finishing a batch after a rebalance), so events, windows and changes of a tenant
 * are applied in one order.
 */
@ApplicationScoped
public class EventIngestService {
    private final AgroalDataSource dataSource;
    private final ChangeLog changeLog;
    private final TypeCatalog catalog;
    private final TileBuilder builder;
    private final WindowRepository windows;
    private final TileStore tiles;
    private final TileSocialStore social;

    public EventIngestService(AgroalDataSource dataSource, ChangeLog changeLog, TypeCatalog catalog, TileBuilder builder,
                              WindowRepository windows, TileStore tiles, TileSocialStore social) {
        this.dataSource = dataSource;
        this.changeLog = changeLog;
        this.catalog = catalog;
        this.builder = builder;
        this.windows = windows;
        this.tiles = tiles;
        this.social = social;
    }

    /** Stores and groups {@code events} (in log order); returns how many were new. */
    @Transactional
    public int store(List<RawEvent> events) {
        Map<String, List<RawEvent>> byTenant = new TreeMap<>();
        for (RawEvent e : events) {
            byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>()).add(e);
        }
        int stored = 0;
        try (Connection c = dataSource.getConnection()) {
            for (Map.Entry<String, List<RawEvent>> tenant : byTenant.entrySet()) {
                stored += new TenantBatch(c, tenant.getKey()).apply(tenant.getValue());
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
            new TenantBatch(c, tenant).group(events);
        } catch (SQLException e) {
            throw new StoreException("cannot regroup events of " + tenant, e);
        }
    }

    /** One tenant's part of a batch: windows and tiles are kept in memory and written once at the end. */
    private final class TenantBatch {
        private final Connection c;
        private final String tenant;
        private final Map<String, WindowState> windowCache = new HashMap<>();
        private final Set<String> dirtyWindows = new LinkedHashSet<>();
        private final Map<UUID, TileRow> tileCache = new LinkedHashMap<>();
        private final Set<UUID> dirtyTiles = new LinkedHashSet<>();
        private final Set<UUID> deletedTiles = new LinkedHashSet<>();
        private final Map<UUID, RawEvent> batchEvents = new HashMap<>();
        private final List<Object[]> tileAssignments = new ArrayList<>();
        private final List<Object[]> aliases = new ArrayList<>();
        // social counts only go into the changes' data; read once per group and batch (a reaction meanwhile is its own change)
        private final Map<UUID, TileSocialStore.Social> socialCache = new HashMap<>();
        private long nextSeq;
        private long firstSeq;
        private final List<ChangeLog.Entry> changes = new ArrayList<>();

        TenantBatch(Connection c, String tenant) {
            this.c = c;
            this.tenant = tenant;
        }

        int apply(List<RawEvent> events) throws SQLException {
            lockTenant();
            List<RawEvent> fresh = insertEvents(events);
            groupLocked(fresh);
            return fresh.size();
        }

        void group(List<RawEvent> events) throws SQLException {
            lockTenant();
            groupLocked(events);
        }

        private void groupLocked(List<RawEvent> events) throws SQLException {
            for (RawEvent e : events) {
                batchEvents.put(e.id(), e);
                groupOne(e);
            }
            flush();
        }

        private void lockTenant() throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tenant_seq (tenant_id, last_seq) VALUES (?, 0) ON CONFLICT (tenant_id) DO NOTHING;
                    SELECT last_seq FROM tenant_seq WHERE tenant_id = ? FOR UPDATE""")) {
                ps.setString(1, tenant);
                ps.setString(2, tenant);
                ps.execute();
                ps.getMoreResults();
                try (ResultSet rs = ps.getResultSet()) {
                    rs.next();
                    nextSeq = rs.getLong(1) + 1;
                    firstSeq = nextSeq;
                }
            }
        }

        private List<RawEvent> insertEvents(List<RawEvent> events) throws SQLException {
            List<RawEvent> fresh = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO event (id, tenant_id, type, source, priority, actor_id, actor_name, entity_type,
                                       entity_id, entity_name, tags, occurred_at, received_at, expires_at, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (id) DO NOTHING""")) {
                for (RawEvent e : events) {
                    ps.setObject(1, e.id());
                    ps.setString(2, tenant);
                    ps.setString(3, e.type());
                    ps.setString(4, TileRows.source(e));
                    ps.setString(5, TileRows.priority(e));
                    ps.setString(6, e.actor() == null ? null : e.actor().id());
                    ps.setString(7, e.actor() == null ? null : e.actor().name());
                    ps.setString(8, e.entity() == null ? null : e.entity().type());
                    ps.setString(9, e.entity() == null ? null : e.entity().id());
                    ps.setString(10, e.entity() == null ? null : e.entity().name());
                    ps.setArray(11, c.createArrayOf("text", e.tags().toArray()));
                    ps.setTimestamp(12, Timestamp.from(e.occurredAt()));
                    ps.setTimestamp(13, Timestamp.from(e.receivedAt() == null ? e.occurredAt() : e.receivedAt()));
                    ps.setTimestamp(14, e.expiresAt() == null ? null : Timestamp.from(e.expiresAt()));
                    ps.setString(15, MessageCodec.write(e));
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        fresh.add(events.get(i));
                    }
                }
            }
            return fresh;
        }

        private void groupOne(RawEvent e) throws SQLException {
            GroupingSettings settings = catalog.get(e.type()).grouping();
            EventFacts facts = new EventFacts(e.id(), tenant, e.type(), e.occurredAt(),
                    e.priority() == null || e.priority().groupable(), e.actor() == null ? null : e.actor().id(),
                    e.entity() == null ? null : e.entity().type(), e.entity() == null ? null : e.entity().id());
            String key = settings.key().keyOf(facts);
            WindowState current = windowCache.containsKey(key) ? windowCache.get(key) : windows.lock(c, tenant, key);
            windowCache.put(key, current);
            Decision d = GroupingEngine.decide(facts, settings, current);
            if (d.changesWindow()) {
                windowCache.put(key, d.window());
                dirtyWindows.add(key);
            }
            switch (d.kind()) {
                case SINGLE -> createSingle(e);
                case FOLD -> fold(d.tileId(), d.foldedTileIds(), e);
                case GROW -> grow(d.tileId(), e);
            }
        }

        private void createSingle(RawEvent e) throws SQLException {
            TileRow t = TileRows.single(tenant, e, builder);
            put(t);
            tileAssignments.add(new Object[]{e.id(), e.id()});
            long seq = append(FeedEvents.TILE_CREATED, t, null, e, TileJson.shared(t.body, TileSocialStore.Social.NONE,
                    nextSeq, nextSeq));
            t.contentSeq = seq;
            t.lastSeq = seq;
        }

        private void fold(UUID groupId, List<UUID> folded, RawEvent e) throws SQLException {
            List<RawEvent> members = new ArrayList<>();
            for (UUID id : folded) {
                RawEvent member = member(id);
                if (member != null) {
                    members.add(member);
                }
            }
            members.add(e);
            for (UUID id : folded) {
                removeTile(id);
            }
            TileRow g = TileRows.group(tenant, groupId, members, builder);
            for (RawEvent m : members) {
                tileAssignments.add(new Object[]{m.id(), groupId});
                aliases.add(new Object[]{m.id(), groupId});
            }
            put(g);
            // aliases and moved reactions must be in place before the social relay can see the group
            flushAliases();
            social.moveToGroup(c, tenant, groupId, folded);
            TileSocialStore.Social merged = social.get(c, groupId);
            socialCache.put(groupId, merged);
            if (!folded.isEmpty()) {
                ObjectNode foldedData = MessageCodec.mapper().createObjectNode();
                foldedData.put("groupTileId", groupId.toString());
                var foldedIds = foldedData.putArray("foldedTileIds");
                folded.forEach(id -> foldedIds.add(id.toString()));
                append(FeedEvents.TILE_FOLDED, g, folded, e, foldedData);
            }
            long seq = append(FeedEvents.TILE_CREATED, g, null, e, TileJson.shared(g.body, merged, nextSeq, nextSeq));
            g.contentSeq = seq;
            g.lastSeq = seq;
        }

        private void grow(UUID groupId, RawEvent e) throws SQLException {
            TileRow g = tileCache.containsKey(groupId) ? tileCache.get(groupId) : tiles.lock(c, groupId);
            if (g == null) {
                // every earlier member expired and the group was removed: it comes back with this member
                fold(groupId, List.of(), e);
                return;
            }
            TileRows.grow(g, e, builder);
            put(g);
            tileAssignments.add(new Object[]{e.id(), groupId});
            aliases.add(new Object[]{e.id(), groupId});
            long seq = append(FeedEvents.TILE_UPDATED, g, null, e,
                    TileJson.shared(g.body, socialOf(groupId), nextSeq, nextSeq));
            g.contentSeq = seq;
            g.lastSeq = seq;
        }

        private TileSocialStore.Social socialOf(UUID tileId) throws SQLException {
            TileSocialStore.Social cached = socialCache.get(tileId);
            if (cached == null) {
                cached = social.get(c, tileId);
                socialCache.put(tileId, cached);
            }
            return cached;
        }

        private RawEvent member(UUID eventId) throws SQLException {
            RawEvent cached = batchEvents.get(eventId);
            if (cached != null) {
                return cached;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT body FROM event WHERE id = ? AND NOT expired")) {
                ps.setObject(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? MessageCodec.readRawEvent(rs.getString(1)) : null;
                }
            }
        }

        private void put(TileRow t) {
            tileCache.put(t.id, t);
            dirtyTiles.add(t.id);
            deletedTiles.remove(t.id);
        }

        private void removeTile(UUID id) {
            tileCache.remove(id);
            dirtyTiles.remove(id);
            deletedTiles.add(id);
        }

        /** Queues a change with the next number of the tenant (held locked); they are written at flush. */
        private long append(String event, TileRow t, List<UUID> folded, RawEvent cause, ObjectNode data) {
            List<String> actorIds = new ArrayList<>();
            t.body.path("actors").forEach(a -> actorIds.add(a.path("id").asText()));
            // the tile's own actor ids (not only the five shown) may not react to it
            actorIds.addAll(t.actorIds.stream().filter(a -> !actorIds.contains(a)).toList());
            changes.add(new ChangeLog.Entry(event, t.id, new TileRef(t.id, t.kind, actorIds), folded, List.of(t.type),
                    cause.receivedAt(), data));
            return nextSeq++;
        }

        private void flushAliases() throws SQLException {
            if (aliases.isEmpty()) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tile_alias (alias_id, tenant_id, group_id) VALUES (?, ?, ?)
                    ON CONFLICT (alias_id) DO UPDATE SET group_id = excluded.group_id""")) {
                for (Object[] a : aliases) {
                    ps.setObject(1, a[0]);
                    ps.setString(2, tenant);
                    ps.setObject(3, a[1]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            aliases.clear();
        }

        private void flush() throws SQLException {
            flushAliases();
            tiles.delete(c, deletedTiles);
            List<TileRow> dirty = new ArrayList<>();
            dirtyTiles.forEach(id -> dirty.add(tileCache.get(id)));
            tiles.upsert(c, dirty);
            try (PreparedStatement ps = c.prepareStatement("UPDATE event SET tile_id = ? WHERE id = ?")) {
                for (Object[] a : tileAssignments) {
                    ps.setObject(1, a[1]);
                    ps.setObject(2, a[0]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<WindowState> changed = new ArrayList<>();
            dirtyWindows.forEach(k -> changed.add(windowCache.get(k)));
            windows.save(c, tenant, changed);
            if (!changes.isEmpty()) {
                long first = changeLog.appendAll(c, tenant, changes).getFirst().seq();
                if (first != firstSeq) {
                    throw new IllegalStateException("change number " + first + " where " + firstSeq + " was expected");
                }
            }
        }
    }

    /** The batch could not be stored; whether retrying can help is the caller's call. */
    public static final class StoreException extends RuntimeException {
        public StoreException(String message, SQLException cause) {
            super(message, cause);
        }
    }
}
