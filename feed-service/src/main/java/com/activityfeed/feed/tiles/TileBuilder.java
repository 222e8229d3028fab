package com.activityfeed.feed.tiles;

import com.activityfeed.feed.catalog.Templates;
import com.activityfeed.feed.catalog.TypeCatalog;
import com.activityfeed.feed.catalog.TypeInfo;
import com.activityfeed.messages.IsoInstants;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Builds the stored tile JSON (everything but reactions, myReactions, commentCount, read, seq and
 * contentSeq, which are added when read) from events. A group is built member by member in log
 * order, so growing a group and rebuilding it from its members give the same JSON.
 */
public final class TileBuilder {
    static final int MAX_ACTORS = 5;
    static final int MAX_SAMPLES = 5;
    private static final ObjectMapper JSON = MessageCodec.mapper();

    private final TypeCatalog catalog;

    public TileBuilder(TypeCatalog catalog) {
        this.catalog = catalog;
    }

    public ObjectNode single(RawEvent e) {
        TypeInfo info = catalog.get(e.type());
        ObjectNode t = JSON.createObjectNode();
        t.put("id", e.id().toString());
        t.put("kind", "single");
        t.put("type", e.type());
        t.put("displayName", info.displayName());
        t.put("icon", info.icon());
        t.put("title", e.title() != null ? e.title() : info.displayName());
        t.put("description", e.description() != null ? e.description() : render(info.singleTemplate(), e, 1, info));
        t.put("occurredAt", time(e.occurredAt()));
        t.put("latestAt", time(e.occurredAt()));
        t.put("count", 1);
        t.set("actor", JSON.valueToTree(e.actor()));
        t.set("entity", JSON.valueToTree(e.entity()));
        ArrayNode actors = t.putArray("actors");
        if (e.actor() != null && e.actor().id() != null) {
            actors.add(JSON.valueToTree(e.actor()));
        }
        t.putArray("samples").add(sample(e, info));
        t.put("source", e.source());
        t.put("priority", e.priority() == null ? "normal" : e.priority().wire());
        ArrayNode tags = t.putArray("tags");
        e.tags().forEach(tags::add);
        t.put("correlationId", e.correlationId());
        t.set("change", JSON.valueToTree(e.change()));
        t.set("payload", e.payload());
        t.put("expiresAt", e.expiresAt() == null ? null : time(e.expiresAt()));
        return t;
    }

    /** A group of {@code members} in log order (the first is the group's first member). */
    public ObjectNode group(UUID groupId, List<RawEvent> members) {
        RawEvent first = members.getFirst();
        TypeInfo info = catalog.get(first.type());
        ObjectNode t = single(first);
        t.put("id", groupId.toString());
        t.put("kind", "group");
        t.put("title", info.displayName());
        t.putNull("change");
        t.putNull("payload");
        for (int i = 1; i < members.size(); i++) {
            grow(t, members.get(i));
        }
        t.put("description", groupDescription(info, t.get("count").asInt()));
        return t;
    }

    /** Adds one member to a group tile in place. */
    public void grow(ObjectNode group, RawEvent e) {
        TypeInfo info = catalog.get(e.type());
        int count = group.get("count").asInt() + 1;
        group.put("count", count);
        Instant latest = IsoInstants.parse(group.get("latestAt").asText());
        if (e.occurredAt().isAfter(latest)) {
            group.put("latestAt", time(e.occurredAt()));
        }
        ArrayNode actors = (ArrayNode) group.get("actors");
        if (e.actor() != null && e.actor().id() != null && actors.size() < MAX_ACTORS) {
            boolean present = false;
            for (JsonNode a : actors) {
                present |= e.actor().id().equals(a.path("id").asText());
            }
            if (!present) {
                actors.add(JSON.valueToTree(e.actor()));
            }
        }
        // each sample's time parsed once, not in every comparison (this ran for every grouped event)
        List<SampleKey> samples = new ArrayList<>();
        group.get("samples").forEach(s -> samples.add(SampleKey.of(s)));
        samples.add(SampleKey.of(sample(e, info)));
        samples.sort(Comparator.comparing(SampleKey::occurredAt).thenComparing(SampleKey::eventId).reversed());
        ArrayNode kept = group.putArray("samples");
        samples.stream().limit(MAX_SAMPLES).forEach(k -> kept.add(k.node()));
        ArrayNode tags = (ArrayNode) group.get("tags");
        for (String tag : e.tags()) {
            boolean present = false;
            for (JsonNode existing : tags) {
                present |= existing.asText().equals(tag);
            }
            if (!present) {
                tags.add(tag);
            }
        }
        JsonNode expires = group.get("expiresAt");
        if (expires != null && !expires.isNull()) {
            if (e.expiresAt() == null) {
                group.putNull("expiresAt");
            } else if (e.expiresAt().isAfter(IsoInstants.parse(expires.asText()))) {
                group.put("expiresAt", time(e.expiresAt()));
            }
        }
        group.put("description", groupDescription(info, count));
    }

    private ObjectNode sample(RawEvent e, TypeInfo info) {
        ObjectNode s = JSON.createObjectNode();
        s.put("eventId", e.id().toString());
        s.set("actor", JSON.valueToTree(e.actor()));
        s.set("entity", JSON.valueToTree(e.entity()));
        s.put("occurredAt", time(e.occurredAt()));
        s.put("title", e.title() != null ? e.title() : render(info.singleTemplate(), e, 1, info));
        return s;
    }

    /** Group templates speak of the group as a whole: only {count} and {displayName}. */
    private static String groupDescription(TypeInfo info, int count) {
        return Templates.render(info.groupTemplate(), name -> switch (name) {
            case "count" -> Integer.toString(count);
            case "displayName" -> info.displayName();
            default -> null;
        });
    }

    private static String render(String template, RawEvent e, int count, TypeInfo info) {
        if (template == null) {
            return null;
        }
        return Templates.render(template, name -> switch (name) {
            case "actor" -> e.actor() == null ? "Someone" : firstNonBlank(e.actor().name(), e.actor().id());
            case "entity" -> e.entity() == null ? null : firstNonBlank(e.entity().name(), e.entity().id());
            case "count" -> Integer.toString(count);
            case "displayName" -> info.displayName();
            default -> {
                JsonNode v = e.payload() == null ? null : e.payload().get(name);
                yield v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
            }
        });
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    /**
     * Times as PostgreSQL stores them (microseconds), so the JSON and the cursor agree. Written and
     * read through {@link IsoInstants}: a growing group reads and writes several per event.
     */
    public static String time(Instant at) {
        return IsoInstants.format(at.truncatedTo(ChronoUnit.MICROS));
    }

    /** A sample with its sort key read once. */
    private record SampleKey(Instant occurredAt, String eventId, JsonNode node) {
        static SampleKey of(JsonNode sample) {
            return new SampleKey(IsoInstants.parse(sample.get("occurredAt").asText()), sample.get("eventId").asText(), sample);
        }
    }
}
