package com.activityfeed.feed.ingest;

import com.activityfeed.feed.catalog.TypeCatalog;
import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.feed.events.EventWriter;
import com.activityfeed.feed.events.StoredEvent;
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
    // event id -> the trace context of its consumer span: each change carries its cause's trace
    private final Map<UUID, String> traces;
    private TenantLog.Appender log;
    private final Map<String, WindowState> windowCache = new HashMap<>();
    private final Set<String> dirtyWindows = new LinkedHashSet<>();
    private final Map<UUID, TileRow> tileCache = new LinkedHashMap<>();
    private final Set<UUID> dirtyTiles = new LinkedHashSet<>();
    private final Set<UUID> deletedTiles = new LinkedHashSet<>();
    private final Map<UUID, RawEvent> batchEvents = new HashMap<>();
    // event id -> the tile it is shown in; the last assignment of the pass wins
    private final Map<UUID, UUID> tileAssignments = new LinkedHashMap<>();
    // events of this pass not stored before: inserted once at flush, with their tile
    private final Map<UUID, RawEvent> fresh = new LinkedHashMap<>();
    private final List<Alias> aliases = new ArrayList<>();
    // social counts only go into the changes' data; read once per group and batch (a reaction meanwhile is its own change)
    private final Map<UUID, TileSocialStore.Social> socialCache = new HashMap<>();
    // groups grown in this pass -> the latest event that grew them: one update change each, at flush
    private final Map<UUID, RawEvent> grown = new LinkedHashMap<>();

    /** What a pass works with: the same beans for every pass. */
    record Tools(TenantLog tenantLog, TypeCatalog catalog, TileBuilder builder, WindowRepository windows,
                 TileStore tiles, TileSocialStore social, EventWriter events) {
    }

    /** @param traces event id -> trace context of the event's processing span (empty: none) */
    GroupingPass(Connection c, String tenant, Tools tools, Map<UUID, String> traces) {
        this.c = c;
        this.tenant = tenant;
        this.tools = tools;
        this.traces = traces;
    }

    /** Stores the events not stored before and groups them; returns how many were new. */
    int apply(List<RawEvent> events) throws SQLException {
        lockTenant();
        for (RawEvent e : notYetStored(events)) {
            fresh.put(e.id(), e);
        }
        groupLocked(new ArrayList<>(fresh.values()));
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

    /** The events (first delivery of each id) the log does not hold yet: one look, however large the batch. */
    private List<RawEvent> notYetStored(List<RawEvent> events) throws SQLException {
        Map<UUID, RawEvent> unique = new LinkedHashMap<>();
        events.forEach(e -> unique.putIfAbsent(e.id(), e));
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM event WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", unique.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unique.remove(rs.getObject(1, UUID.class));
                }
            }
        }
        return new ArrayList<>(unique.values());
    }

    /**
     * Stores the new events with the tile each ended in, in arrival order, as one batch (the tenant's
     * log lock keeps another writer of the tenant out meanwhile, and {@link #notYetStored} left out
     * what is stored already).
     */
    private void insertFresh() {
        List<StoredEvent> rows = new ArrayList<>(fresh.size());
        for (RawEvent e : fresh.values()) {
            rows.add(StoredEvent.of(tenant, e, tileAssignments.remove(e.id())));
        }
        tools.events().insert(c, rows);
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
        tileAssignments.put(e.id(), e.id());
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
        grown.remove(groupId); // its created change below carries the state
        for (RawEvent m : members) {
            tileAssignments.put(m.id(), groupId);
            aliases.add(new Alias(m.id(), groupId));
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
        tileAssignments.put(e.id(), groupId);
        aliases.add(new Alias(e.id(), groupId));
        // A group that grows several times in one pass gets one update with its final state, not one
        // per member: the pass commits as a whole, so no reader could have seen the states between,
        // and each update carries (and the relay and every stream would copy) the whole tile.
        grown.put(groupId, e);
    }

    /** The update change of each group grown in this pass (and still there), numbered before the tiles are written. */
    private void appendGrown() throws SQLException {
        for (Map.Entry<UUID, RawEvent> entry : grown.entrySet()) {
            TileRow g = tileCache.get(entry.getKey());
            if (g == null) {
                continue; // folded into another group later in the pass: its fold change says so
            }
            TileSocialStore.Social counts = socialOf(g.id);
            long seq = append(FeedEvents.TILE_UPDATED, g, null, entry.getValue(), n -> TileJson.shared(g.body, counts, n, n));
            g.contentSeq = seq;
            g.lastSeq = seq;
        }
        grown.clear();
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
        String trace = traces.isEmpty() ? null : traces.get(cause.id());
        return log.add(n -> new TenantLog.Entry(event, t.id, ref, folded, List.of(t.type), cause.receivedAt(),
                data.apply(n), trace));
    }

    private void flushAliases() throws SQLException {
        if (aliases.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tile_alias (alias_id, tenant_id, group_id) VALUES (?, ?, ?)
                ON CONFLICT (alias_id) DO UPDATE SET group_id = excluded.group_id""")) {
            for (Alias a : aliases) {
                ps.setObject(1, a.memberId());
                ps.setString(2, tenant);
                ps.setObject(3, a.groupId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        aliases.clear();
    }

    /** A member's id that now resolves to its group's tile (tile_alias). */
    private record Alias(UUID memberId, UUID groupId) {
    }

    private void flush() throws SQLException {
        appendGrown();
        flushAliases();
        tools.tiles().delete(c, deletedTiles);
        List<TileRow> dirty = new ArrayList<>();
        dirtyTiles.forEach(id -> dirty.add(tileCache.get(id)));
        tools.tiles().upsert(c, dirty);
        insertFresh();
        // events stored by earlier passes that moved (folded into a group, or regrouped by a rebuild)
        if (!tileAssignments.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE event e SET tile_id = u.tile_id FROM unnest(?::uuid[], ?::uuid[]) AS u(id, tile_id)
                    WHERE e.id = u.id""")) {
                ps.setArray(1, c.createArrayOf("uuid", tileAssignments.keySet().toArray()));
                ps.setArray(2, c.createArrayOf("uuid", tileAssignments.values().toArray()));
                ps.executeUpdate();
            }
        }
        List<WindowState> changed = new ArrayList<>();
        dirtyWindows.forEach(k -> changed.add(windowCache.get(k)));
        tools.windows().save(c, tenant, changed);
        log.flush();
    }
}
