package com.activityfeed.feed.tiles;

import com.activityfeed.messages.Priority;
import com.activityfeed.web.ProblemException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The feed's filters (SPEC §4), parsed and checked: list filters take comma-separated values
 * (or repeated parameters); all filters combine with AND, values of one filter with OR.
 */
public record FeedFilter(List<String> types, List<String> sources, List<String> priorities, List<String> tags,
                         String actorId, String entityType, String entityId, Instant from, Instant to, boolean unread) {
    private static final Pattern TYPE = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");
    private static final Pattern TAG = Pattern.compile("^[a-z0-9:_-]{1,32}$");
    public static final int MAX_VALUES = 20;

    public static FeedFilter parse(List<String> types, List<String> sources, List<String> priorities, List<String> tags,
                                   String actorId, String entityType, String entityId, String from, String to,
                                   String unread) {
        List<String> t = split("types", types);
        t.forEach(v -> require(TYPE.matcher(v).matches(), "types", "is not a valid type: " + v));
        List<String> s = split("source", sources);
        s.forEach(v -> require(v.length() <= 64, "source", "is longer than 64 characters"));
        List<String> p = split("priority", priorities);
        p.forEach(v -> require(Priority.fromWire(v) != null, "priority", "must be low, normal, high or urgent"));
        List<String> g = split("tags", tags);
        g.forEach(v -> require(TAG.matcher(v).matches(), "tags", "is not a valid tag: " + v));
        require(actorId == null || (!actorId.isEmpty() && actorId.length() <= 128), "actorId", "must be 1 to 128 characters");
        require(entityType == null || (!entityType.isEmpty() && entityType.length() <= 64), "entityType",
                "must be 1 to 64 characters");
        require(entityId == null || (!entityId.isEmpty() && entityId.length() <= 128), "entityId", "must be 1 to 128 characters");
        Instant f = time("from", from);
        Instant u = time("to", to);
        require(f == null || u == null || f.isBefore(u), "from", "must be before to");
        boolean un = false;
        if (unread != null) {
            require(unread.equals("true") || unread.equals("false"), "unread", "must be true or false");
            un = unread.equals("true");
        }
        return new FeedFilter(t, s, p, g, actorId, entityType, entityId, f, u, un);
    }

    public static Instant time(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be an RFC 3339 time");
        }
    }

    private static List<String> split(String name, List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String part : v.split(",", -1)) {
                    String trimmed = part.trim();
                    require(!trimmed.isEmpty(), name, "has an empty value");
                    out.add(trimmed);
                }
            }
        }
        require(out.size() <= MAX_VALUES, name, "takes at most " + MAX_VALUES + " values");
        return out;
    }

    private static void require(boolean condition, String field, String message) {
        if (!condition) {
            throw ProblemException.badRequest(field + " " + message);
        }
    }

    /** Appends this filter's conditions on tile {@code t} to {@code sql}, collecting parameters. */
    public void appendTo(StringBuilder sql, List<Object> params) {
        if (!types.isEmpty()) {
            sql.append(" AND t.type = ANY(?::text[])");
            params.add(types.toArray(String[]::new));
        }
        if (!sources.isEmpty()) {
            sql.append(" AND t.source = ANY(?::text[])");
            params.add(sources.toArray(String[]::new));
        }
        if (!priorities.isEmpty()) {
            sql.append(" AND t.priority = ANY(?::text[])");
            params.add(priorities.toArray(String[]::new));
        }
        if (!tags.isEmpty()) {
            sql.append(" AND t.tags && ?::text[]");
            params.add(tags.toArray(String[]::new));
        }
        if (actorId != null) {
            sql.append(" AND ? = ANY(t.actor_ids)");
            params.add(actorId);
        }
        if (entityType != null) {
            sql.append(" AND ? = ANY(t.entity_types)");
            params.add(entityType);
        }
        if (entityId != null) {
            sql.append(" AND ? = ANY(t.entity_ids)");
            params.add(entityId);
        }
        if (from != null) {
            sql.append(" AND t.occurred_at >= ?");
            params.add(java.sql.Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND t.occurred_at < ?");
            params.add(java.sql.Timestamp.from(to));
        }
    }
}
