package com.activityfeed.feed.tiles;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
    /** {@link #NOT_READ} with the watermark as a parameter (read first), then the user. */
    static final String NOT_READ_AT = """
            t.content_seq > ? AND NOT EXISTS (SELECT 1 FROM tile_read r WHERE r.tenant_id = t.tenant_id
                AND r.user_id = ? AND r.tile_id = t.id AND r.content_seq >= t.content_seq)""";
    /** The page columns of {@link #COLUMNS} for filtered reads: the user, the watermark, the user. */
    private static final String FILTERED_COLUMNS = """
            SELECT t.id, t.occurred_at, t.body, t.content_seq, t.last_seq,
                   coalesce(s.hype, 0), coalesce(s.respect, 0), coalesce(s.tribute, 0), coalesce(s.comment_count, 0),
                   coalesce(s.last_seq, 0),
                   ARRAY(SELECT x.type FROM tile_reaction x WHERE x.tile_id = t.id AND x.user_id = ? ORDER BY x.type),
                   NOT (""" + NOT_READ_AT + """
            ) AS read, t.latest_at
            """;
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

    /**
     * A page of tiles, each the JSON text of one tile as the user sees it. The page is written as
     * text: a tile is its stored JSON with the user's fields appended, never parsed and written again
     * (parsing each stored tile into a tree and writing the page from the trees was about a third of
     * a page's CPU in the feed process).
     */
    public record Page(List<String> items, String nextCursor) {
        /** The {items, nextCursor} answer. */
        public String text() {
            int size = 40;
            for (String item : items) {
                size += item.length() + 1;
            }
            StringBuilder page = new StringBuilder(size).append("{\"items\":[");
            for (int i = 0; i < items.size(); i++) {
                page.append(i == 0 ? "" : ",").append(items.get(i));
            }
            page.append("],\"nextCursor\":");
            if (nextCursor == null) {
                page.append("null");
            } else {
                JsonText.string(page, nextCursor);
            }
            return page.append('}').toString();
        }
    }

    public Page feed(String tenant, String user, FeedFilter filter, int limit, String cursor, boolean ascending) {
        return feed(tenant, user, filter, new String[0], limit, cursor, ascending, false);
    }

    /**
     * A page of the feed in (occurred_at, id) order, or in (latest_at, id) order with {@code activity}
     * (SPEC §4 {@code sort=activity}: a group that grows moves up), each walking its own index.
     * {@code followTerms} are the user's follow terms (used when the filter has {@code following}).
     * A filter on the tiles' values or read state goes through {@link #filtered}.
     */
    public Page feed(String tenant, String user, FeedFilter filter, String[] followTerms, int limit, String cursor,
                     boolean ascending, boolean activity) {
        Cursors.FeedPosition after = cursor == null ? null : Cursors.feed(cursor, ascending, activity);
        if (filter.following() && followTerms.length == 0) {
            return new Page(List.of(), null);
        }
        if (filter.selective()) {
            return filtered(tenant, user, filter, followTerms, limit, after, ascending, activity, window(limit), null);
        }
        List<Object> params = new ArrayList<>();
        String sql = feedSql(user, tenant, filter, limit, after, ascending, activity, params);
        List<String> items = new ArrayList<>();
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

    /** One SQL statement as run, for the query-plan tests. */
    public record Sql(String text, List<Object> params, boolean bitmapOnly) {
    }

    /**
     * A filtered page whose cost never depends on the tenant's size. In the default order, a filter
     * with one term every match must hold (an entity id, an actor, a single tag or type...; not
     * {@code following}) walks that term's tiles in {@code tile_term} ({@link #anchored}, at most
     * {@link #maxWalk(int)} of them) and, when they ran out of matches before the page was full but
     * the term has more tiles, goes on with step 3. Every other filter:
     * <ol>
     * <li>the newest {@link #window} positions after the cursor are walked in order on
     * {@code tile_tenant_order} and filtered row by row (a LIMIT inside a sub-select, so PostgreSQL
     * cannot turn it into a walk of the whole tenant): a filter that matches often is answered here;</li>
     * <li>otherwise the window's last position is read (index only), and when the window matched
     * some tiles, the walk goes on below it for as many rows as the density it saw says the page
     * still needs (half as many again), while the whole walk stays within {@link #maxWalk(int, FeedFilter, String[])};</li>
     * <li>and when the matches are too rare for that, the rest of the page comes from below the
     * walk through the GIN index {@code tile_terms} (or {@code tile_tenant_content_seq} for
     * unread), with plain index scans switched off for that statement: its cost follows the number
     * of matching tiles, which the walk showed to be few.</li>
     * </ol>
     * The GIN path's cost also grows with the number of terms it looks for (a thousand follow terms
     * on a tenant where a tenth of the tiles match took seconds on 1 000 000 tiles), so with many
     * follows the walk goes on longer before the index takes over.
     * With {@code activity} the same is done in (latest_at, id) order on {@code tile_tenant_activity}
     * (SPEC §4 {@code sort=activity}); positions then hold latest_at.
     */
    Page filtered(String tenant, String user, FeedFilter filter, String[] followTerms, int limit,
                  Cursors.FeedPosition after, boolean ascending, boolean activity, int window, List<Sql> trace) {
        String key = activity ? "t.latest_at" : "t.occurred_at";
        List<String> items = new ArrayList<>();
        Cursors.FeedPosition[] last = new Cursors.FeedPosition[1];
        try (Connection c = dataSource.getConnection()) {
            long watermark = watermark(c, tenant, user);
            String order = ascending ? " ORDER BY " + key + ", t.id" : " ORDER BY " + key + " DESC, t.id DESC";
            String beyond = " AND (" + key + ", t.id) " + (ascending ? ">" : "<") + " (?, ?)";

            Cursors.FeedPosition from = after;
            String term = filter.following() ? null : filter.anchor(tenant);
            if (activity && term != null && tilesOf(c, term, window, trace) <= window) {
                return allOfTerm(c, term, tenant, user, watermark, filter, limit, after, ascending, trace);
            }
            String anchor = activity ? null : term;
            if (anchor != null) {
                Walk walk = anchored(c, anchor, tenant, user, watermark, filter, limit, from, ascending, maxWalk(window),
                        items, last, trace);
                if (walk.bottom() == null) {
                    return new Page(items, walk.more() ? Cursors.feed(last[0], false) : null);
                }
                from = walk.bottom();
            }
            int size = window;
            long walked = 0;
            while (anchor == null) {
                List<Object> params = new ArrayList<>(List.of(user, watermark, user, tenant));
                StringBuilder sql = new StringBuilder(FILTERED_COLUMNS).append(" FROM (SELECT * FROM tile t WHERE t.tenant_id = ?");
                position(sql, params, beyond, from);
                filter.appendRange(sql, params);
                sql.append(order).append(" LIMIT ?) t LEFT JOIN tile_social s ON s.tile_id = t.id WHERE true").append(VISIBLE);
                params.add(size);
                conditions(sql, params, tenant, user, watermark, filter, followTerms, false);
                sql.append(order).append(" LIMIT ?");
                params.add(limit + 1 - items.size());
                if (read(c, new Sql(sql.toString(), params, false), trace, items, last, limit, ascending, activity)) {
                    return new Page(items, Cursors.feed(last[0], activity));
                }
                walked += size;

                params = new ArrayList<>(List.of(tenant));
                sql = new StringBuilder("SELECT " + key + ", t.id FROM tile t WHERE t.tenant_id = ?");
                position(sql, params, beyond, from);
                filter.appendRange(sql, params);
                sql.append(order).append(" OFFSET ? LIMIT 1");
                params.add(size - 1);
                Cursors.FeedPosition bottom = boundary(c, new Sql(sql.toString(), params, false), ascending, trace);
                if (bottom == null) {
                    return new Page(items, null);
                }
                from = bottom;
                long further = nextWalk(limit + 1 - items.size(), items.size(), walked, window, filter, followTerms);
                if (further == 0) {
                    break;
                }
                size = (int) further;
            }

            List<Object> params = new ArrayList<>(List.of(user, watermark, user, tenant));
            StringBuilder sql = new StringBuilder(FILTERED_COLUMNS).append(" FROM tile t LEFT JOIN tile_social s ON s.tile_id = t.id")
                    .append(" WHERE t.tenant_id = ?").append(VISIBLE);
            position(sql, params, beyond, from);
            filter.appendRange(sql, params);
            conditions(sql, params, tenant, user, watermark, filter, followTerms, true);
            sql.append(order).append(" LIMIT ?");
            params.add(limit + 1 - items.size());
            boolean more = read(c, new Sql(sql.toString(), params, true), trace, items, last, limit, ascending, activity);
            return new Page(items, more ? Cursors.feed(last[0], activity) : null);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the feed", e);
        }
    }

    /**
     * Where an ordered walk ended: it goes on below {@code bottom}, or (null) the page is complete
     * and {@code more} says whether a next page exists.
     */
    private record Walk(boolean more, Cursors.FeedPosition bottom) {
    }

    /**
     * The walk of one term's tiles in the feed's order ({@code tile_term}, migration V96): at most
     * {@code budget} of them after {@code from}, each checked against the rest of the filter. Done
     * when the page is full or the term has no tiles beyond the budget; otherwise the position of the
     * budget's last tile, below which the term index answers the rest (the other conditions were rare
     * among the term's tiles).
     */
    private static Walk anchored(Connection c, String anchor, String tenant, String user, long watermark, FeedFilter filter,
                                 int limit, Cursors.FeedPosition from, boolean ascending, long budget, List<String> items,
                                 Cursors.FeedPosition[] last, List<Sql> trace) throws SQLException {
        String order = ascending ? " ORDER BY x.occurred_at, x.tile_id" : " ORDER BY x.occurred_at DESC, x.tile_id DESC";
        String beyond = " AND (x.occurred_at, x.tile_id) " + (ascending ? ">" : "<") + " (?, ?)";
        List<Object> params = new ArrayList<>(List.of(user, watermark, user, anchor));
        StringBuilder sql = new StringBuilder(FILTERED_COLUMNS).append(TERM_TILES);
        position(sql, params, beyond, from);
        filter.appendRange(sql, params, "x.occurred_at");
        // each tile looked up by its key in the walk's order
        sql.append(order).append(" LIMIT ?)").append(BY_KEY).append(VISIBLE);
        params.add(budget);
        params.add(tenant);
        conditions(sql, params, tenant, user, watermark, filter, new String[0], false);
        // in the walk's own order, so the join stops at the page's end instead of sorting the budget
        sql.append(order).append(" LIMIT ?");
        params.add(limit + 1 - items.size());
        if (read(c, new Sql(sql.toString(), params, false), trace, items, last, limit, ascending, false)) {
            return new Walk(true, null);
        }
        params = new ArrayList<>(List.of(anchor));
        sql = new StringBuilder("SELECT x.occurred_at, x.tile_id FROM tile_term x WHERE x.term = ?");
        position(sql, params, beyond, from);
        filter.appendRange(sql, params, "x.occurred_at");
        sql.append(order).append(" OFFSET ? LIMIT 1");
        params.add(budget - 1);
        return new Walk(false, boundary(c, new Sql(sql.toString(), params, false), ascending, trace));
    }

    /** A term's tiles in {@code tile_term}, as a sub-select for the caller to bound and close before {@link #BY_KEY}. */
    private static final String TERM_TILES = " FROM (SELECT x.tile_id, x.occurred_at FROM tile_term x WHERE x.term = ?";
    /**
     * Each of {@link #TERM_TILES}' tiles read by its key, with its social counts, in the tenant
     * (a parameter); OFFSET 0 keeps the lookup from being flattened into a join the planner may
     * answer by scanning the tenant's tiles.
     */
    private static final String BY_KEY = " x CROSS JOIN LATERAL (SELECT * FROM tile t WHERE t.id = x.tile_id OFFSET 0) t"
            + " LEFT JOIN tile_social s ON s.tile_id = t.id WHERE t.tenant_id = ?";

    /** How many tiles hold {@code term} ({@code tile_term}, index only), counted up to {@code max} + 1. */
    private static long tilesOf(Connection c, String term, int max, List<Sql> trace) throws SQLException {
        Sql sql = new Sql("SELECT count(*) FROM (SELECT 1 FROM tile_term x WHERE x.term = ? LIMIT ?) x",
                List.of(term, max + 1), false);
        return count(c, sql, trace);
    }

    /**
     * A page in {@code sort=activity} order for a filter with a term every match must hold that
     * no more than a window's worth of tiles hold: all of them, looked up by key from {@code tile_term}
     * and sorted by (latest_at, id). The term order cannot be walked in activity order (its rows
     * would move with every group that grows), and walking the tenant's activity order for a term
     * held by one tile in hundreds reads a window and then the whole term through the GIN index.
     */
    private static Page allOfTerm(Connection c, String term, String tenant, String user, long watermark, FeedFilter filter,
                                  int limit, Cursors.FeedPosition after, boolean ascending, List<Sql> trace)
            throws SQLException {
        String order = ascending ? " ORDER BY t.latest_at, t.id" : " ORDER BY t.latest_at DESC, t.id DESC";
        List<Object> params = new ArrayList<>(List.of(user, watermark, user, term));
        StringBuilder sql = new StringBuilder(FILTERED_COLUMNS).append(TERM_TILES);
        filter.appendRange(sql, params, "x.occurred_at");
        sql.append(")").append(BY_KEY).append(VISIBLE);
        params.add(tenant);
        position(sql, params, " AND (t.latest_at, t.id) " + (ascending ? ">" : "<") + " (?, ?)", after);
        conditions(sql, params, tenant, user, watermark, filter, new String[0], false);
        sql.append(order).append(" LIMIT ?");
        params.add(limit + 1);
        List<String> items = new ArrayList<>();
        Cursors.FeedPosition[] last = new Cursors.FeedPosition[1];
        boolean more = read(c, new Sql(sql.toString(), params, false), trace, items, last, limit, ascending, true);
        return new Page(items, more ? Cursors.feed(last[0], true) : null);
    }

    /** The position a statement reading one (position, id) row answers, or null when it finds none. */
    private static Cursors.FeedPosition boundary(Connection c, Sql sql, boolean ascending, List<Sql> trace) throws SQLException {
        record(trace, sql);
        try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Cursors.FeedPosition(ascending, rs.getTimestamp(1).toInstant(), rs.getObject(2, UUID.class)) : null;
        }
    }

    /**
     * Rows a further ordered walk needs to find {@code needed} more matches at the density seen so
     * far ({@code found} in {@code walked}), half as many again, at least 100; {@link Long#MAX_VALUE}
     * when nothing matched yet (the density is unknown: the index path answers).
     */
    static long furtherWalk(long needed, long found, long walked) {
        if (found == 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(100, (long) Math.ceil(needed * (double) walked / found * 1.5));
    }

    /**
     * Rows to walk next, or 0 when the index should answer the rest: {@link #furtherWalk} when it
     * fits within the budget ({@link #maxWalk(int, FeedFilter, String[])}). With many follows the
     * index is the expensive path, so once the walk has seen a density it goes on in steps of at
     * most {@value #MAX_FOLLOWING_STEP} rows (each step one bounded statement the planner keeps on the ordered index) until the budget is spent; a walk that
     * has seen no match at all still leaves the rest to the index, which is cheap when the follows
     * match little.
     */
    static long nextWalk(long needed, long found, long walked, int window, FeedFilter filter, String[] followTerms) {
        long budget = maxWalk(window, filter, followTerms) - walked;
        long further = furtherWalk(needed, found, walked);
        if (budget <= 0 || found == 0) {
            return 0;
        }
        if (maxWalk(window, filter, followTerms) > maxWalk(window)) {
            return Math.min(Math.min(further, MAX_FOLLOWING_STEP), budget);
        }
        return further > budget ? 0 : further;
    }

    /** The most rows one read walks in order (windows and their continuations together): five windows. */
    static long maxWalk(int window) {
        return 5L * window;
    }

    /**
     * {@link #maxWalk(int)}, longer for {@code following=true} with many follows: the term index
     * checks every candidate tile against every term of an {@code &&} condition, so its cost grows
     * with the number of follows times the tiles they match (a thousand follows matching a tenth of
     * 1 000 000 tiles: over a second in the index alone), while the ordered walk checks a row
     * against a hash of the follows in a few microseconds. Ten windows more per hundred follows,
     * up to {@value #MAX_FOLLOWING_WALK} rows.
     */
    static long maxWalk(int window, FeedFilter filter, String[] followTerms) {
        long base = maxWalk(window);
        if (!filter.following() || followTerms.length <= 100) {
            return base;
        }
        return Math.max(base, Math.min(MAX_FOLLOWING_WALK, base * ((followTerms.length + 99) / 100)));
    }

    static final long MAX_FOLLOWING_WALK = 50_000;
    static final long MAX_FOLLOWING_STEP = 4_000;

    /** Rows walked in order before the index takes over: about 50 per requested tile, 1 000 to 5 000. */
    static int window(int limit) {
        return Math.clamp(50L * limit, 1000, 5000);
    }

    private static void position(StringBuilder sql, List<Object> params, String beyond, Cursors.FeedPosition after) {
        if (after != null) {
            sql.append(beyond);
            params.add(Timestamp.from(after.occurredAt()));
            params.add(after.id());
        }
    }

    private static void conditions(StringBuilder sql, List<Object> params, String tenant, String user, long watermark,
                                   FeedFilter filter, String[] followTerms, boolean forIndex) {
        filter.appendTo(sql, params, tenant, followTerms, forIndex);
        if (filter.unread()) {
            sql.append(" AND ").append(NOT_READ_AT);
            params.add(watermark);
            params.add(user);
        }
    }

    /**
     * Adds the rows of {@code sql} to {@code items}; true when a row beyond {@code limit} showed that
     * there is a next page ({@code last} then holds the last position on this one).
     */
    private static boolean read(Connection c, Sql sql, List<Sql> trace, List<String> items,
                                Cursors.FeedPosition[] last, int limit, boolean ascending, boolean activity)
            throws SQLException {
        record(trace, sql);
        boolean own = bitmapOnly(c, sql);
        try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (items.size() == limit) {
                    return true;
                }
                items.add(tile(rs));
                last[0] = new Cursors.FeedPosition(ascending, rs.getTimestamp(activity ? 13 : 2).toInstant(),
                        rs.getObject(1, UUID.class));
            }
        } finally {
            restore(c, sql, own);
        }
        return false;
    }

    /**
     * For a statement that must reach its rows through bitmap index scans: switches plain index
     * scans and sequential scans off for it (in its own transaction when there is none). The rows
     * are few, the window showed it, and walking tile_tenant_order or the table would read the tenant.
     */
    private static boolean bitmapOnly(Connection c, Sql sql) throws SQLException {
        if (!sql.bitmapOnly()) {
            return false;
        }
        boolean own = c.getAutoCommit();
        if (own) {
            c.setAutoCommit(false);
        }
        try (var st = c.createStatement()) {
            st.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off");
        }
        return own;
    }

    private static void restore(Connection c, Sql sql, boolean own) throws SQLException {
        if (!sql.bitmapOnly()) {
            return;
        }
        if (own) {
            c.commit();
            c.setAutoCommit(true);
        } else {
            // inside the caller's transaction: put the settings back for its later statements
            try (var st = c.createStatement()) {
                st.execute("SET LOCAL enable_indexscan = on; SET LOCAL enable_seqscan = on");
            }
        }
    }

    private static void record(List<Sql> trace, Sql sql) {
        if (trace != null) {
            trace.add(sql);
        }
    }

    /**
     * Prepared as an unnamed statement every time, so PostgreSQL plans it with the actual values:
     * a thousand follow terms become a constant it looks up in a hash, and array statistics apply.
     */
    private static PreparedStatement prepare(Connection c, Sql sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql.text());
        ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
        bind(c, ps, sql.params());
        return ps;
    }

    static long watermark(Connection c, String tenant, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq FROM read_watermark WHERE tenant_id = ? AND user_id = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The feed page's statement and its parameters (package-private: the query-plan test explains it). */
    static String feedSql(String user, String tenant, FeedFilter filter, int limit, Cursors.FeedPosition after,
                          boolean ascending, boolean activity, List<Object> params) {
        params.addAll(List.of(tenant, user, user, user, tenant));
        String key = activity ? "t.latest_at" : "t.occurred_at";
        // column 13, latest_at, is the activity cursor's key (the tile JSON carries it only as text)
        StringBuilder sql = new StringBuilder(WATERMARK).append(COLUMNS.replace(") AS read", ") AS read, t.latest_at"))
                .append(" WHERE t.tenant_id = ?").append(VISIBLE);
        // only the time range: value filters, unread and following are selective and go through filtered()
        filter.appendRange(sql, params);
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

    /** One tile's JSON text by id or alias, as in a page, or null when the tenant has no such (visible) tile. */
    public String tile(String tenant, String user, UUID id) {
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

    @Schema(name = "Unread")
    public record Unread(@Schema(required = true, maximum = "1000", description = "counted up to 1 000") long unread,
                         @Schema(required = true, description = "true when there are more than 1 000") boolean capped) {
    }

    public Unread unreadCount(Connection c, String tenant, String user, FeedFilter filter) throws SQLException {
        return unreadCount(c, tenant, user, filter, new String[0], null);
    }

    /**
     * The capped unread count. Without a filter on the tiles' values it walks
     * {@code tile_tenant_content_seq} from the newest tile down to the watermark and stops at the
     * cap; with one (or a time range) it counts in the {@link #UNREAD_WINDOW} newest tiles above
     * the watermark, then below them through the GIN index, as {@link #filtered} does for pages.
     */
    Unread unreadCount(Connection c, String tenant, String user, FeedFilter filter, String[] followTerms,
                       List<Sql> trace) throws SQLException {
        if (filter.following() && followTerms.length == 0) {
            return new Unread(0, false);
        }
        if (filter.selective() || filter.from() != null || filter.to() != null) {
            return filteredUnread(c, tenant, user, filter, followTerms, UNREAD_WINDOW, trace);
        }
        List<Object> params = new ArrayList<>(List.of(tenant, user, tenant, user));
        StringBuilder sql = new StringBuilder(WATERMARK)
                .append("SELECT count(*) FROM (SELECT 1 FROM wm, tile t WHERE t.tenant_id = ? AND ")
                .append(NOT_READ).append(VISIBLE);
        // the order makes PostgreSQL walk tile_tenant_content_seq from the newest down to the watermark
        // and stop at the cap, instead of scanning the tenant (the watermark is unknown when planning)
        sql.append(" ORDER BY t.content_seq DESC LIMIT ?) x");
        params.add(UNREAD_CAP + 1);
        Sql statement = new Sql(sql.toString(), params, false);
        record(trace, statement);
        return capped(count(c, statement));
    }

    static final int UNREAD_WINDOW = 2000;

    /**
     * Counts in the {@code window} newest tiles above the watermark, goes on walking below them
     * while the density seen says the cap is near enough ({@link #furtherWalk}, within
     * {@link #maxWalk(int, FeedFilter, String[])}), and counts the rest through the GIN index, as {@link #filtered} reads pages.
     */
    Unread filteredUnread(Connection c, String tenant, String user, FeedFilter filter, String[] followTerms,
                          int window, List<Sql> trace) throws SQLException {
        long watermark = watermark(c, tenant, user);
        long counted = 0;
        long walked = 0;
        Long below = null;
        int size = window;
        while (true) {
            List<Object> params = new ArrayList<>(List.of(tenant, watermark));
            StringBuilder sql = new StringBuilder("SELECT count(*) FROM (SELECT * FROM tile t WHERE t.tenant_id = ?")
                    .append(" AND t.content_seq > ?");
            if (below != null) {
                sql.append(" AND t.content_seq < ?");
                params.add(below);
            }
            sql.append(" ORDER BY t.content_seq DESC LIMIT ?) t WHERE true").append(VISIBLE)
                    .append(" AND ").append(NOT_READ_AT);
            params.add(size);
            params.add(watermark);
            params.add(user);
            filter.appendTo(sql, params, tenant, followTerms, false);
            filter.appendRange(sql, params);
            counted += count(c, new Sql(sql.toString(), params, false), trace);
            if (counted > UNREAD_CAP) {
                return capped(counted);
            }
            walked += size;
            params = new ArrayList<>(List.of(tenant, watermark));
            sql = new StringBuilder("SELECT t.content_seq FROM tile t WHERE t.tenant_id = ? AND t.content_seq > ?");
            if (below != null) {
                sql.append(" AND t.content_seq < ?");
                params.add(below);
            }
            sql.append(" ORDER BY t.content_seq DESC OFFSET ? LIMIT 1");
            params.add(size - 1);
            Sql boundary = new Sql(sql.toString(), params, false);
            record(trace, boundary);
            try (PreparedStatement ps = prepare(c, boundary); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return capped(counted);
                }
                below = rs.getLong(1);
            }
            long further = nextWalk(UNREAD_CAP + 1 - counted, counted, walked, window, filter, followTerms);
            if (further == 0) {
                break;
            }
            size = (int) further;
        }
        List<Object> params = new ArrayList<>(List.of(tenant, below));
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM (SELECT 1 FROM tile t WHERE t.tenant_id = ? AND t.content_seq < ?")
                .append(VISIBLE).append(" AND ").append(NOT_READ_AT);
        params.add(watermark);
        params.add(user);
        filter.appendTo(sql, params, tenant, followTerms, true);
        filter.appendRange(sql, params);
        sql.append(" LIMIT ?) x");
        params.add(UNREAD_CAP + 1 - counted);
        return capped(counted + count(c, new Sql(sql.toString(), params, true), trace));
    }

    private static long count(Connection c, Sql sql, List<Sql> trace) throws SQLException {
        record(trace, sql);
        return count(c, sql);
    }

    private static long count(Connection c, Sql sql) throws SQLException {
        boolean own = bitmapOnly(c, sql);
        try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } finally {
            restore(c, sql, own);
        }
    }

    private static Unread capped(long n) {
        return n > UNREAD_CAP ? new Unread(UNREAD_CAP, true) : new Unread(n, false);
    }

    public Unread unreadCount(String tenant, String user, FeedFilter filter) {
        return unreadCount(tenant, user, filter, new String[0]);
    }

    public Unread unreadCount(String tenant, String user, FeedFilter filter, String[] followTerms) {
        try (Connection c = dataSource.getConnection()) {
            return unreadCount(c, tenant, user, filter, followTerms, null);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count unread tiles", e);
        }
    }

    /**
     * One row as the tile's JSON text: the stored tile (a JSON object, which never holds the fields
     * below: TileBuilder does not write them) with the social counts, the user's reactions and read
     * state and the change numbers appended before its closing brace.
     */
    static String tile(ResultSet rs) throws SQLException {
        String body = rs.getString(3);
        int end = body.lastIndexOf('}');
        if (end < 0) {
            throw new SQLException("unreadable tile JSON: " + body);
        }
        // copied without the whitespace PostgreSQL's jsonb output puts after ':' and ',' (outside
        // strings): the same text as when pages were written from trees, 7 % fewer bytes than jsonb's
        // output; only a decimal now keeps the digits it was stored with (1.50, not 1.5)
        StringBuilder t = new StringBuilder(body.length() + 192);
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < end; i++) {
            char ch = body.charAt(i);
            if (inString) {
                t.append(ch);
                if (escaped) {
                    escaped = false;
                } else if (ch == '\\') {
                    escaped = true;
                } else if (ch == '"') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
                t.append(ch);
            } else if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') {
                t.append(ch);
            }
        }
        if (t.length() > 0 && t.charAt(t.length() - 1) != '{') {
            t.append(',');
        }
        t.append("\"reactions\":{\"hype\":").append(rs.getLong(6))
                .append(",\"respect\":").append(rs.getLong(7))
                .append(",\"tribute\":").append(rs.getLong(8))
                .append("},\"myReactions\":[");
        String[] mine = (String[]) rs.getArray(11).getArray();
        for (int i = 0; i < mine.length; i++) {
            if (i > 0) {
                t.append(',');
            }
            JsonText.string(t, mine[i]);
        }
        return t.append("],\"commentCount\":").append(rs.getLong(9))
                .append(",\"read\":").append(rs.getBoolean(12))
                .append(",\"seq\":").append(Math.max(rs.getLong(5), rs.getLong(10)))
                .append(",\"contentSeq\":").append(rs.getLong(4))
                .append('}').toString();
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
