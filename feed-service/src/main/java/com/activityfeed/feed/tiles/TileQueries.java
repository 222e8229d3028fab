package com.activityfeed.feed.tiles;

import com.activityfeed.messages.MessageCodec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads tiles as a user sees them: keyset pages over (occurred_at, id), the user's read state and
 * reactions, and the capped unread count. Unread is "content_seq above the watermark and NOT
 * EXISTS a per-tile read at or above content_seq", an anti-join PostgreSQL answers from indexes.
 */
@ApplicationScoped
public class TileQueries {
    public static final int UNREAD_CAP = 1000;

    static final String WATERMARK = """
            WITH wm AS (SELECT coalesce((SELECT seq FROM read_watermark WHERE tenant_id = ? AND user_id = ?), 0) AS seq)
            """;
    static final String NOT_READ = """
            t.content_seq > wm.seq AND NOT EXISTS (SELECT 1 FROM tile_read r WHERE r.tenant_id = t.tenant_id
                AND r.user_id = ? AND r.tile_id = t.id AND r.content_seq >= t.content_seq)""";
    static final String VISIBLE = " AND (t.expires_at IS NULL OR t.expires_at > now())";
    private static final String COLUMNS = """
            SELECT t.id, t.occurred_at, t.body, t.content_seq, t.last_seq,
                   coalesce(s.hype, 0), coalesce(s.respect, 0), coalesce(s.tribute, 0), coalesce(s.comment_count, 0),
                   coalesce(s.last_seq, 0),
                   ARRAY(SELECT x.type FROM tile_reaction x WHERE x.tile_id = t.id AND x.user_id = ? ORDER BY x.type),
                   NOT (""" + NOT_READ + """
            ) AS read
            FROM wm, tile t LEFT JOIN tile_social s ON s.tile_id = t.id
            """;

    private final AgroalDataSource dataSource;

    public TileQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Page(List<ObjectNode> items, String nextCursor) {
        /** The {items, nextCursor} answer, written as a tree (tiles are JSON trees already). */
        public ObjectNode json() {
            ObjectNode page = MessageCodec.mapper().createObjectNode();
            page.putArray("items").addAll(items);
            page.put("nextCursor", nextCursor);
            return page;
        }
    }

    public Page feed(String tenant, String user, FeedFilter filter, int limit, String cursor, boolean ascending) {
        return feed(tenant, user, filter, limit, cursor, ascending, false);
    }

    /**
     * A page of the feed in (occurred_at, id) order, or in (latest_at, id) order with {@code activity}
     * (SPEC §4 {@code sort=activity}: a group that grows moves up), each walking its own index.
     */
    public Page feed(String tenant, String user, FeedFilter filter, int limit, String cursor, boolean ascending,
                     boolean activity) {
        Cursors.FeedPosition after = cursor == null ? null : Cursors.feed(cursor, ascending, activity);
        List<Object> params = new ArrayList<>();
        String sql = feedSql(user, tenant, filter, limit, after, ascending, activity, params);
        List<ObjectNode> items = new ArrayList<>();
        Cursors.FeedPosition last = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (items.size() == limit) {
                        return new Page(items, Cursors.feed(last, activity));
                    }
                    items.add(tile(rs));
                    last = new Cursors.FeedPosition(ascending, rs.getTimestamp(activity ? 13 : 2).toInstant(),
                            rs.getObject(1, UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the feed", e);
        }
        return new Page(items, null);
    }

    /** The feed page's statement and its parameters (package-private: the query-plan test explains it). */
    static String feedSql(String user, String tenant, FeedFilter filter, int limit, Cursors.FeedPosition after,
                          boolean ascending, boolean activity, List<Object> params) {
        params.addAll(List.of(tenant, user, user, user, tenant));
        String key = activity ? "t.latest_at" : "t.occurred_at";
        // column 13, latest_at, is the activity cursor's key (the tile JSON carries it only as text)
        StringBuilder sql = new StringBuilder(WATERMARK).append(COLUMNS.replace(") AS read", ") AS read, t.latest_at"))
                .append(" WHERE t.tenant_id = ?").append(VISIBLE);
        filter.appendTo(sql, params);
        if (filter.unread()) {
            sql.append(" AND ").append(NOT_READ);
            params.add(user);
        }
        if (after != null) {
            sql.append(" AND (").append(key).append(", t.id) ").append(ascending ? ">" : "<").append(" (?, ?)");
            params.add(Timestamp.from(after.occurredAt()));
            params.add(after.id());
        }
        sql.append(ascending ? " ORDER BY " + key + ", t.id" : " ORDER BY " + key + " DESC, t.id DESC");
        sql.append(" LIMIT ?");
        params.add(limit + 1);
        return sql.toString();
    }

    /** One tile by id or alias, or null when the tenant has no such (visible) tile. */
    public ObjectNode tile(String tenant, String user, UUID id) {
        try (Connection c = dataSource.getConnection()) {
            UUID resolved = TileAliases.resolve(c, tenant, id);
            try (PreparedStatement ps = c.prepareStatement(WATERMARK + COLUMNS + " WHERE t.tenant_id = ? AND t.id = ?"
                    + VISIBLE)) {
                bind(c, ps, List.of(tenant, user, user, user, tenant, resolved));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? tile(rs) : null;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read tile " + id, e);
        }
    }

    public record Unread(long unread, boolean capped) {
    }

    public Unread unreadCount(Connection c, String tenant, String user, FeedFilter filter) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(tenant, user, tenant, user));
        StringBuilder sql = new StringBuilder(WATERMARK)
                .append("SELECT count(*) FROM (SELECT 1 FROM wm, tile t WHERE t.tenant_id = ? AND ")
                .append(NOT_READ).append(VISIBLE);
        filter.appendTo(sql, params);
        // the order makes PostgreSQL walk tile_tenant_content_seq from the newest down to the watermark
        // and stop at the cap, instead of scanning the tenant (the watermark is unknown when planning)
        sql.append(" ORDER BY t.content_seq DESC LIMIT ?) x");
        params.add(UNREAD_CAP + 1);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                return n > UNREAD_CAP ? new Unread(UNREAD_CAP, true) : new Unread(n, false);
            }
        }
    }

    public Unread unreadCount(String tenant, String user, FeedFilter filter) {
        try (Connection c = dataSource.getConnection()) {
            return unreadCount(c, tenant, user, filter);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count unread tiles", e);
        }
    }

    private static ObjectNode tile(ResultSet rs) throws SQLException {
        ObjectNode t;
        try {
            t = (ObjectNode) MessageCodec.mapper().readTree(rs.getString(3));
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable tile JSON", e);
        }
        ObjectNode reactions = t.putObject("reactions");
        reactions.put("hype", rs.getLong(6));
        reactions.put("respect", rs.getLong(7));
        reactions.put("tribute", rs.getLong(8));
        ArrayNode mine = t.putArray("myReactions");
        for (String type : (String[]) rs.getArray(11).getArray()) {
            mine.add(type);
        }
        t.put("commentCount", rs.getLong(9));
        t.put("read", rs.getBoolean(12));
        t.put("seq", Math.max(rs.getLong(5), rs.getLong(10)));
        t.put("contentSeq", rs.getLong(4));
        return t;
    }

    static void bind(Connection c, PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof String[] values) {
                ps.setArray(i + 1, c.createArrayOf("text", values));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }
}
