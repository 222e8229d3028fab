package com.activityfeed.feed.tiles;

import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;

import java.util.List;
import java.util.UUID;

/** Builds tile rows (columns and JSON) from events, the same way for live grouping, expiry and rebuilds. */
public final class TileRows {
    private TileRows() {
    }

    public static TileRow single(String tenant, RawEvent e, TileBuilder builder) {
        TileRow t = new TileRow(e.id(), tenant, e.type());
        t.kind = "single";
        t.source = source(e);
        t.priority = priority(e);
        t.occurredAt = e.occurredAt();
        t.latestAt = e.occurredAt();
        t.count = 1;
        addMember(t, e);
        t.expiresAt = e.expiresAt();
        t.body = builder.single(e);
        return t;
    }

    /** A group of {@code members} in log order; its first member gives source, priority, actor, entity, occurredAt. */
    public static TileRow group(String tenant, UUID groupId, List<RawEvent> members, TileBuilder builder) {
        RawEvent first = members.getFirst();
        TileRow g = new TileRow(groupId, tenant, first.type());
        g.kind = "group";
        g.source = source(first);
        g.priority = priority(first);
        g.occurredAt = first.occurredAt();
        g.latestAt = first.occurredAt();
        g.count = members.size();
        g.expiresAt = first.expiresAt();
        boolean anyWithoutExpiry = false;
        for (RawEvent m : members) {
            addMember(g, m);
            if (m.occurredAt().isAfter(g.latestAt)) {
                g.latestAt = m.occurredAt();
            }
            anyWithoutExpiry |= m.expiresAt() == null;
            if (m.expiresAt() != null && g.expiresAt != null && m.expiresAt().isAfter(g.expiresAt)) {
                g.expiresAt = m.expiresAt();
            }
        }
        if (anyWithoutExpiry) {
            g.expiresAt = null;
        }
        g.body = builder.group(groupId, members);
        return g;
    }

    /** Adds a member to a group row in place. */
    public static void grow(TileRow g, RawEvent e, TileBuilder builder) {
        g.count++;
        if (e.occurredAt().isAfter(g.latestAt)) {
            g.latestAt = e.occurredAt();
        }
        addMember(g, e);
        if (g.expiresAt != null) {
            g.expiresAt = e.expiresAt() == null ? null : (e.expiresAt().isAfter(g.expiresAt) ? e.expiresAt() : g.expiresAt);
        }
        builder.grow(g.body, e);
    }

    private static void addMember(TileRow t, RawEvent e) {
        t.tags.addAll(e.tags());
        if (e.actor() != null && e.actor().id() != null) {
            t.actorIds.add(e.actor().id());
        }
        if (e.entity() != null && e.entity().type() != null) {
            t.entityTypes.add(e.entity().type());
        }
        if (e.entity() != null && e.entity().id() != null) {
            t.entityIds.add(e.entity().id());
        }
    }

    public static String source(RawEvent e) {
        return e.source() == null ? "api" : e.source();
    }

    public static String priority(RawEvent e) {
        return (e.priority() == null ? Priority.NORMAL : e.priority()).wire();
    }
}
