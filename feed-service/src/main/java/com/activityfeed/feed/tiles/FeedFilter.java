package com.activityfeed.feed.tiles;

import com.activityfeed.messages.Priority;
import com.activityfeed.messages.Rfc3339;
import com.activityfeed.web.ProblemException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The feed's filters (SPEC §4), parsed and checked: list filters take comma-separated values
 * (or repeated parameters); all filters combine with AND, values of one filter with OR.
 * {@code following} keeps the tiles that match one of the user's follows (SPEC §4a).
 *
 * <p>Every filter on a tile's values is a condition on its {@code terms} (see {@link Terms} and
 * migration V70), so one GIN index answers any combination when the ordered walk would not.
 */
public record FeedFilter(List<String> types, List<String> sources, List<String> priorities, List<String> tags,
                         String actorId, String entityType, String entityId, Instant from, Instant to, boolean unread,
                         boolean following) {
    private static final Pattern TYPE = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");
    private static final Pattern TAG = Pattern.compile("^[a-z0-9:_-]{1,32}$");
    public static final int MAX_VALUES = 20;

    public static FeedFilter parse(List<String> types, List<String> sources, List<String> priorities, List<String> tags,
                                   String actorId, String entityType, String entityId, String from, String to,
                                   String unread) {
        return parse(types, sources, priorities, tags, actorId, entityType, entityId, from, to, unread, null);
    }

    public static FeedFilter parse(List<String> types, List<String> sources, List<String> priorities, List<String> tags,
                                   String actorId, String entityType, String entityId, String from, String to,
                                   String unread, String following) {
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
        return new FeedFilter(t, s, p, g, actorId, entityType, entityId, f, u, un, flag("following", following));
    }

    private static boolean flag(String name, String value) {
        if (value == null) {
            return false;
        }
        require(value.equals("true") || value.equals("false"), name, "must be true or false");
        return value.equals("true");
    }

    public static Instant time(String name, String value) {
        if (value == null) {
            return null;
        }
        Instant at = Rfc3339.parse(value);
        if (at == null) {
            throw ProblemException.badRequest(name + " must be an RFC 3339 time with seconds and offset, e.g. 2026-11-23T10:15:30Z");
        }
        return at;
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

    /** Whether a condition needs the tile's terms or read state, so an ordered walk alone may read the whole tenant. */
    public boolean selective() {
        return !types.isEmpty() || !sources.isEmpty() || !priorities.isEmpty() || !tags.isEmpty() || actorId != null
                || entityType != null || entityId != null || unread || following;
    }

    /**
     * Appends this filter's conditions on tile {@code t} to {@code sql}, collecting parameters
     * (the read state is the caller's). {@code followTerms} are the user's follow terms when
     * {@code following}. With {@code forIndex} every term condition is written as an operator
     * the GIN index {@code tile_terms} answers; otherwise as checks that are cheap row by row
     * (a thousand follow terms are looked up in a hash, not compared one by one).
     */
    public void appendTo(StringBuilder sql, List<Object> params, String tenant, String[] followTerms, boolean forIndex) {
        List<String> all = new ArrayList<>();
        if (actorId != null) {
            all.add(Terms.actor(tenant, actorId));
        }
        if (entityType != null && entityId != null) {
            all.add(Terms.entity(tenant, entityType, entityId));
        } else if (entityType != null) {
            all.add(Terms.of(tenant, Terms.ENTITY_TYPE, entityType));
        } else if (entityId != null) {
            all.add(Terms.of(tenant, Terms.ENTITY_ID, entityId));
        }
        if (!all.isEmpty()) {
            sql.append(" AND t.terms @> ?::text[]");
            params.add(all.toArray(String[]::new));
        }
        anyOf(sql, params, tenant, Terms.TYPE, types);
        anyOf(sql, params, tenant, Terms.SOURCE, sources);
        anyOf(sql, params, tenant, Terms.PRIORITY, priorities);
        anyOf(sql, params, tenant, Terms.TAG, tags);
        if (following) {
            if (forIndex) {
                sql.append(" AND t.terms && ?::text[]");
                params.add(followTerms);
            } else {
                FollowMatch.appendTo(sql, params, tenant, followTerms);
            }
        }
    }

    /** The {@code from} and {@code to} conditions only. */
    public void appendRange(StringBuilder sql, List<Object> params) {
        appendRange(sql, params, "t.occurred_at");
    }

    /** The {@code from} and {@code to} conditions on {@code column}, a tile's occurred_at. */
    void appendRange(StringBuilder sql, List<Object> params, String column) {
        if (from != null) {
            sql.append(" AND ").append(column).append(" >= ?");
            params.add(java.sql.Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND ").append(column).append(" < ?");
            params.add(java.sql.Timestamp.from(to));
        }
    }

    /**
     * One term every matching tile must hold, to walk that term's tiles in order ({@code tile_term},
     * migration V96), or null when no condition is a single term ({@code following} and lists of
     * several values are ORs). Of several, the kind that usually names the fewest tiles: an entity
     * id (an entity's pair is checked on each of its tiles: the term order does not keep pairs), an
     * actor, a tag, a type, an entity type, a source, a priority.
     */
    String anchor(String tenant) {
        if (entityId != null) {
            return Terms.of(tenant, Terms.ENTITY_ID, entityId);
        }
        if (actorId != null) {
            return Terms.actor(tenant, actorId);
        }
        if (tags.size() == 1) {
            return Terms.of(tenant, Terms.TAG, tags.get(0));
        }
        if (types.size() == 1) {
            return Terms.type(tenant, types.get(0));
        }
        if (entityType != null) {
            return Terms.of(tenant, Terms.ENTITY_TYPE, entityType);
        }
        if (sources.size() == 1) {
            return Terms.of(tenant, Terms.SOURCE, sources.get(0));
        }
        if (priorities.size() == 1) {
            return Terms.of(tenant, Terms.PRIORITY, priorities.get(0));
        }
        return null;
    }

    private static void anyOf(StringBuilder sql, List<Object> params, String tenant, String kind, List<String> values) {
        if (!values.isEmpty()) {
            sql.append(" AND t.terms && ?::text[]");
            params.add(values.stream().map(v -> Terms.of(tenant, kind, v)).toArray(String[]::new));
        }
    }
}
