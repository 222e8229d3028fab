package com.activityfeed.feed.tiles;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.UUID;

/** A tile as stored: filter columns plus its JSON. Mutable while a batch builds it. */
public final class TileRow {
    public final UUID id;
    public final String tenant;
    public String kind;
    public final String type;
    public String source;
    public String priority;
    public Instant occurredAt;
    public Instant latestAt;
    public int count;
    public final LinkedHashSet<String> tags = new LinkedHashSet<>();
    public final LinkedHashSet<String> actorIds = new LinkedHashSet<>();
    public final LinkedHashSet<String> entityTypes = new LinkedHashSet<>();
    public final LinkedHashSet<String> entityIds = new LinkedHashSet<>();
    public Instant expiresAt;
    public long contentSeq;
    public long lastSeq;
    public ObjectNode body;

    public TileRow(UUID id, String tenant, String type) {
        this.id = id;
        this.tenant = tenant;
        this.type = type;
    }
}
