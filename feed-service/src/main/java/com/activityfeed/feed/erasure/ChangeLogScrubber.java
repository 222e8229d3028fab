package com.activityfeed.feed.erasure;

import com.activityfeed.messages.MessageCodec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Removes a person from the change log kept for replay (SPEC §1, §6a), so a client resuming after
 * an erasure does not see them again. A tile snapshot takes the tile's rewritten texts, actors and
 * samples; any other mention is rewritten in place: the person's actor becomes the erased actor,
 * their comments and chat messages lose author and body, and their name is replaced in every text.
 */
final class ChangeLogScrubber {
    private static final String[] TILE_CONTENT = {"title", "description", "actor", "actors", "samples", "change", "payload"};

    private ChangeLogScrubber() {
    }

    /** Rewrites the tenant's change-log rows that mention the person; returns how many. */
    static int scrub(Connection c, String tenant, String userId, Set<String> names) throws SQLException {
        List<String> needles = new ArrayList<>();
        needles.add(userId);
        names.stream().filter(n -> n != null && n.length() >= 3).forEach(needles::add);
        Map<Long, String> rows = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT seq, message FROM change_log
                WHERE tenant_id = ? AND message LIKE ANY (SELECT '%' || replace(replace(replace(n, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
                                                         FROM unnest(?::text[]) AS n)
                FOR UPDATE""")) {
            ps.setString(1, tenant);
            ps.setArray(2, c.createArrayOf("text", needles.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        // names met inside the log (a comment's author name, say) are replaced as well
        List<String> allNames = new ArrayList<>(needles.subList(1, needles.size()));
        List<ObjectNode> trees = new ArrayList<>();
        for (String message : rows.values()) {
            ObjectNode tree = read(message);
            collectNames(tree, userId, allNames);
            trees.add(tree);
        }
        int changed = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE change_log SET message = ? WHERE tenant_id = ? AND seq = ?")) {
            Iterator<ObjectNode> it = trees.iterator();
            for (Map.Entry<Long, String> row : rows.entrySet()) {
                ObjectNode tree = it.next();
                JsonNode data = tree.get("data");
                if (data instanceof ObjectNode tile && tile.has("samples") && tile.has("id")) {
                    refreshTile(c, tile);
                }
                scrubNode(tree, userId, allNames);
                String message = MessageCodec.write(tree);
                if (!message.equals(row.getValue())) {
                    ps.setString(1, message);
                    ps.setString(2, tenant);
                    ps.setLong(3, row.getKey());
                    ps.addBatch();
                    changed++;
                }
            }
            ps.executeBatch();
        }
        return changed;
    }

    /** A tile snapshot takes the current tile's person-bearing fields (the tile was rewritten just before). */
    private static void refreshTile(Connection c, ObjectNode snapshot) throws SQLException {
        UUID id;
        try {
            id = UUID.fromString(snapshot.get("id").asText());
        } catch (IllegalArgumentException e) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT body FROM tile WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                ObjectNode current = read(rs.getString(1));
                for (String field : TILE_CONTENT) {
                    if (current.has(field)) {
                        snapshot.set(field, current.get(field));
                    }
                }
            }
        }
    }

    private static void collectNames(JsonNode node, String userId, Collection<String> names) {
        if (node instanceof ObjectNode o) {
            if (userId.equals(o.path("id").asText(null)) && o.path("name").isTextual()) {
                addName(names, o.get("name").asText());
            }
            if (userId.equals(o.path("authorId").asText(null)) && o.path("authorName").isTextual()) {
                addName(names, o.get("authorName").asText());
            }
            o.elements().forEachRemaining(child -> collectNames(child, userId, names));
        } else if (node instanceof ArrayNode a) {
            a.elements().forEachRemaining(child -> collectNames(child, userId, names));
        }
    }

    private static void addName(Collection<String> names, String name) {
        if (name.length() >= 3 && !names.contains(name) && !FeedEraser.ERASED.name().equals(name)) {
            names.add(name);
        }
    }

    static void scrubNode(JsonNode node, String userId, List<String> names) {
        if (node instanceof ObjectNode o) {
            boolean person = userId.equals(o.path("id").asText(null)) && o.has("name");
            if (person) {
                o.put("id", FeedEraser.ERASED.id());
                o.put("name", FeedEraser.ERASED.name());
            }
            if (userId.equals(o.path("authorId").asText(null))) {
                o.put("authorId", FeedEraser.ERASED.id());
                o.put("authorName", FeedEraser.ERASED.name());
                if (o.has("body")) {
                    o.put("body", "");
                }
            }
            if (userId.equals(o.path("actorId").asText(null))) {
                o.put("actorId", FeedEraser.ERASED.id());
            }
            JsonNode actor = o.get("actor");
            if (actor != null && userId.equals(actor.path("id").asText(null))) {
                // an event snapshot of the person: nothing of what they did beyond its type stays
                o.putNull("payload");
                o.putNull("change");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual()) {
                    field.setValue(scrubText(field.getValue().asText(), userId, names));
                } else {
                    scrubNode(field.getValue(), userId, names);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, scrubText(a.get(i).asText(), userId, names));
                } else {
                    scrubNode(a.get(i), userId, names);
                }
            }
        }
    }

    private static TextNode scrubText(String text, String userId, List<String> names) {
        if (text.equals(userId)) {
            return TextNode.valueOf(FeedEraser.ERASED.id());
        }
        String s = word(userId).matcher(text).replaceAll(FeedEraser.ERASED.id());
        for (String name : names) {
            s = word(name).matcher(s).replaceAll(java.util.regex.Matcher.quoteReplacement(FeedEraser.ERASED.name()));
        }
        return TextNode.valueOf(s);
    }

    /** {@code value} as a whole word: "Ann" is replaced in "Ann commented", not in "Annual". */
    private static java.util.regex.Pattern word(String value) {
        return java.util.regex.Pattern.compile("(?<![\\p{L}\\p{N}_-])" + java.util.regex.Pattern.quote(value)
                + "(?![\\p{L}\\p{N}_-])");
    }

    private static ObjectNode read(String json) throws SQLException {
        try {
            return (ObjectNode) MessageCodec.mapper().readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new SQLException("a change-log row holds unreadable JSON", e);
        }
    }
}
