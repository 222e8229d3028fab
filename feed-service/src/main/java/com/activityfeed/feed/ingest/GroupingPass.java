package com.activityfeed.feed.ingest;

import com.activityfeed.feed.catalog.TypeCatalog;
import com.activityfeed.feed.changes.TenantLog;
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
import java.util.UUID;
import java.util.function.LongFunction;

/**
 * Runs one tenant's events of a batch through grouping in a single pass, in log order: stores the
 * new events, decides single / fold / grow for each, and writes tiles, windows, aliases and changes
 * once at the end (windows and tiles are kept in memory meanwhile). Holds the tenant's log lock
 * ({@link TenantLog#lock}) for the whole pass, so the tenant's writers apply in one order.
 */
final class GroupingPass {
    private final Connection c;
    private final String tenant;
    private final Tools tools;
    private TenantLog.Appender log;
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

    /** What a pass works with: the same beans for every pass. */
    record Tools(TenantLog tenantLog, TypeCatalog catalog, TileBuilder builder, WindowRepository windows,
                 TileStore tiles, TileSocialStore social) {
    }

    GroupingPass(Connection c, String tenant, Tools tools) {
        this.c = c;
        this.tenant = tenant;
        this.tools = tools;
    }

    /** Stores the events not stored before and groups them; returns how many were new. */
    int apply(List<RawEvent> events) throws SQLException {
        lockTenant();
        List<RawEvent> fresh = insertEvents(events);
        groupLocked(fresh);
        return fresh.size();
    }

    /** Groups events already stored (a rebuild). */
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
        log = tools.tenantLog().lock(c, tenant);
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
        GroupingSettings settings = tools.catalog().get(e.type()).grouping();
        EventFacts facts = new EventFacts(e.id(), tenant, e.type(), e.occurredAt(),
                e.priority() == null || e.priority().groupable(), e.actor() == null ? null : e.actor().id(),
                e.entity() == null ? null : e.entity().type(), e.entity() == null ? null : e.entity().id());
        String key = settings.key().keyOf(facts);
        WindowState current = windowCache.containsKey(key) ? windowCache.get(key) : tools.windows().lock(c, tenant, key);
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
        TileRow t = TileRows.single(tenant, e, tools.builder());
        put(t);
        tileAssignments.add(new Object[]{e.id(), e.id()});
        long seq = append(FeedEvents.TILE_CREATED, t, null, e,
                n -> TileJson.shared(t.body, TileSocialStore.Social.NONE, n, n));
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
        TileRow g = TileRows.group(tenant, groupId, members, tools.builder());
        for (RawEvent m : members) {
            tileAssignments.add(new Object[]{m.id(), groupId});
            aliases.add(new Object[]{m.id(), groupId});
        }
        put(g);
        // aliases and moved reactions must be in place before the social relay can see the group
        flushAliases();
        tools.social().moveToGroup(c, tenant, groupId, folded);
        TileSocialStore.Social merged = tools.social().get(c, groupId);
        socialCache.put(groupId, merged);
        if (!folded.isEmpty()) {
            ObjectNode foldedData = MessageCodec.mapper().createObjectNode();
            foldedData.put("groupTileId", groupId.toString());
            var foldedIds = foldedData.putArray("foldedTileIds");
            folded.forEach(id -> foldedIds.add(id.toString()));
            append(FeedEvents.TILE_FOLDED, g, folded, e, n -> foldedData);
        }
        long seq = append(FeedEvents.TILE_CREATED, g, null, e, n -> TileJson.shared(g.body, merged, n, n));
        g.contentSeq = seq;
        g.lastSeq = seq;
    }

    private void grow(UUID groupId, RawEvent e) throws SQLException {
        TileRow g = tileCache.containsKey(groupId) ? tileCache.get(groupId) : tools.tiles().lock(c, groupId);
        if (g == null) {
            // every earlier member expired and the group was removed: it comes back with this member
            fold(groupId, List.of(), e);
            return;
        }
        TileRows.grow(g, e, tools.builder());
        put(g);
        tileAssignments.add(new Object[]{e.id(), groupId});
        aliases.add(new Object[]{e.id(), groupId});
        TileSocialStore.Social counts = socialOf(groupId);
        long seq = append(FeedEvents.TILE_UPDATED, g, null, e, n -> TileJson.shared(g.body, counts, n, n));
        g.contentSeq = seq;
        g.lastSeq = seq;
    }

    private TileSocialStore.Social socialOf(UUID tileId) throws SQLException {
        TileSocialStore.Social cached = socialCache.get(tileId);
        if (cached == null) {
            cached = tools.social().get(c, tileId);
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

    /** Queues a change under the tenant's next number (its data may carry the number); written at flush. */
    private long append(String event, TileRow t, List<UUID> folded, RawEvent cause, LongFunction<ObjectNode> data) {
        List<String> actorIds = new ArrayList<>();
        t.body.path("actors").forEach(a -> actorIds.add(a.path("id").asText()));
        // the tile's own actor ids (not only the five shown) may not react to it
        actorIds.addAll(t.actorIds.stream().filter(a -> !actorIds.contains(a)).toList());
        TileRef ref = new TileRef(t.id, t.kind, actorIds);
        return log.add(n -> new TenantLog.Entry(event, t.id, ref, folded, List.of(t.type), cause.receivedAt(),
                data.apply(n)));
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
        tools.tiles().delete(c, deletedTiles);
        List<TileRow> dirty = new ArrayList<>();
        dirtyTiles.forEach(id -> dirty.add(tileCache.get(id)));
        tools.tiles().upsert(c, dirty);
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
        tools.windows().save(c, tenant, changed);
        log.flush();
    }
}
