package com.activityfeed.feed.tiles;

import com.activityfeed.messages.MessageCodec;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feed's and the unread count's query plans for every kind of filter (SPEC §8 P4), checked
 * with {@code EXPLAIN ANALYZE} on a tenant of {@value #TILES} tiles: no statement may scan the
 * tile table sequentially or walk one of its ordered indexes further than the window, whatever
 * the filter matches (often, rarely, never). Each filtered answer is also compared with the
 * answer of a window as large as the tenant, so the index path returns exactly the walk's tiles.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class FilterPlanTest {
    static final int TILES = 20_000;
    private static final String TENANT = "plan-" + Long.toHexString(System.nanoTime());
    private static boolean seeded;

    private final TileQueries queries;
    private final AgroalDataSource dataSource;

    FilterPlanTest(TileQueries queries, AgroalDataSource dataSource) {
        this.queries = queries;
        this.dataSource = dataSource;
    }

    /** Shaped like the P4 dataset: six types, 500 actors, 5 000 deals, ten teams, one high in fifty. */
    @BeforeEach
    void seed() throws SQLException {
        if (seeded) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(String.format("""
                    INSERT INTO tenant_seq (tenant_id, last_seq) VALUES ('%1$s', %2$d);
                    INSERT INTO tile (id, tenant_id, kind, type, source, priority, occurred_at, latest_at, count, tags,
                                      actor_ids, entity_types, entity_ids, content_seq, last_seq, body)
                    SELECT md5('%1$s' || g)::uuid, '%1$s', 'single',
                           (ARRAY['badge_earned','xp_rank_up','challenge_completed','streak_milestone','tasks_burst',
                                  'all_tasks_cleared'])[1 + g %% 6],
                           CASE WHEN g %% 3 = 0 THEN 'github' ELSE 'api' END,
                           CASE WHEN g %% 50 = 0 THEN 'high' ELSE 'normal' END,
                           now() - make_interval(secs => %2$d - g),
                           -- some tiles grew later, so sort=activity is another order
                           now() - make_interval(secs => %2$d - g) + make_interval(secs => (g %% 97) * 60), 1,
                           ARRAY['team-' || (g %% 10)], ARRAY['u' || (g %% 500)], ARRAY['deal'], ARRAY['d' || (g %% 5000)],
                           g, g, jsonb_build_object('id', md5('%1$s' || g)::uuid)
                    FROM generate_series(1, %2$d) g;
                    -- reader read up to 99.9 %%, with a few per-tile reads above
                    INSERT INTO read_watermark (tenant_id, user_id, seq) VALUES ('%1$s', 'reader', %3$d);
                    INSERT INTO tile_read (tenant_id, user_id, tile_id, content_seq)
                    SELECT '%1$s', 'reader', md5('%1$s' || g)::uuid, g FROM generate_series(%3$d + 1, %2$d, 7) g;
                    ANALYZE tile;
                    ANALYZE tile_read;
                    """, TENANT, TILES, TILES - TILES / 1000));
        }
        seeded = true;
    }

    private static FeedFilter filter(String name, String value) {
        List<String> none = null;
        return switch (name) {
            case "types" -> FeedFilter.parse(List.of(value), none, none, none, null, null, null, null, null, null, null);
            case "source" -> FeedFilter.parse(none, List.of(value), none, none, null, null, null, null, null, null, null);
            case "priority" -> FeedFilter.parse(none, none, List.of(value), none, null, null, null, null, null, null, null);
            case "tags" -> FeedFilter.parse(none, none, none, List.of(value), null, null, null, null, null, null, null);
            case "actorId" -> FeedFilter.parse(none, none, none, none, value, null, null, null, null, null, null);
            case "entity" -> FeedFilter.parse(none, none, none, none, null, "deal", value, null, null, null, null);
            case "entityType" -> FeedFilter.parse(none, none, none, none, null, value, null, null, null, null, null);
            case "to" -> FeedFilter.parse(none, none, none, none, null, null, null, null, value, null, null);
            case "unread" -> FeedFilter.parse(none, none, none, none, null, null, null, null, null, "true", null);
            case "following" -> FeedFilter.parse(none, none, none, none, null, null, null, null, null, null, "true");
            case "following+types" -> FeedFilter.parse(List.of(value), none, none, none, null, null, null, null, null, null,
                    "true");
            case "source+priority" -> FeedFilter.parse(none, List.of("github"), List.of(value), none, null, null, null,
                    null, null, null, null);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** 1 000 follows: {@code matching} existing actors, the rest actors that never acted. */
    private static String[] follows(int matching) {
        return IntStream.range(0, 1000)
                .mapToObj(i -> Terms.actor(TENANT, i < matching ? "u" + i : "nobody-" + i))
                .toArray(String[]::new);
    }

    private record Case(String name, String value, String user, String[] follows) {
    }

    private static List<Case> cases() {
        return List.of(
                new Case("types", "badge_earned", "ann", null),
                new Case("types", "never.happens", "ann", null),
                new Case("source", "github", "ann", null),
                new Case("source", "nowhere", "ann", null),
                new Case("priority", "high", "ann", null),
                new Case("priority", "urgent", "ann", null),
                new Case("source+priority", "high", "ann", null),
                new Case("tags", "team-3", "ann", null),
                new Case("tags", "no-team", "ann", null),
                new Case("actorId", "u7", "ann", null),
                new Case("actorId", "nobody", "ann", null),
                new Case("entity", "d42", "ann", null),
                new Case("entity", "d-none", "ann", null),
                new Case("entityType", "ticket", "ann", null),
                new Case("to", "2000-01-01T00:00:00Z", "ann", null),
                new Case("unread", "true", "reader", null),
                new Case("unread", "true", "ann", null),
                new Case("following", "true", "ann", follows(10)),
                new Case("following", "true", "ann", follows(0)),
                new Case("following+types", "tasks_burst", "ann", follows(10)));
    }

    @Test
    void everyFilteredFeedPageUsesBoundedIndexPathsAndAnswersWhatTheWholeWalkAnswers() throws Exception {
        for (Case k : cases()) {
            for (int limit : new int[] {1, 20, 100}) {
                check(k, limit, false);
            }
            check(k, 20, true);
        }
    }

    /**
     * In {@code sort=activity} a term that fewer tiles hold than a window (here 40 of the actor's)
     * is read whole by key from the term order and sorted, instead of walking the tenant's activity
     * order for a window and then reading the term through the GIN index.
     */
    @Test
    void aRareTermInActivityOrderIsReadFromTheTermOrderAlone() throws Exception {
        FeedFilter f = filter("actorId", "u7");
        List<TileQueries.Sql> trace = new ArrayList<>();
        TileQueries.Page page = queries.filtered(TENANT, "ann", f, new String[0], 100, null, false, true,
                TileQueries.window(100), trace);
        assertThat(ids(page)).isEqualTo(expected("ann", f, new String[0], true)).hasSize(TILES / 500);
        assertThat(trace).hasSize(2).allMatch(sql -> sql.text().contains("FROM tile_term x WHERE x.term = ?"))
                .noneMatch(TileQueries.Sql::bitmapOnly);
        assertWalkBounded("actorId=u7 sort=activity", trace, TILES / 500, 1);
    }

    private void check(Case k, int limit, boolean activity) throws Exception {
        FeedFilter f = filter(k.name(), k.value());
        String[] terms = k.follows() == null ? new String[0] : k.follows();
        if (!f.selective()) {
            return; // a time range alone is the ordered walk's own index condition
        }
        List<TileQueries.Sql> trace = new ArrayList<>();
        int window = TileQueries.window(limit);
        TileQueries.Page page = queries.filtered(TENANT, k.user(), f, terms, limit, null, false, activity, window, trace);
        String label = k.name() + "=" + k.value() + " limit " + limit + (activity ? " sort=activity" : "");
        assertWalkBounded(label, trace, TileQueries.maxWalk(window, f, terms), limit + 1);
        List<String> expected = expected(k.user(), f, terms, activity);
        assertThat(ids(page)).as(label).isEqualTo(expected.subList(0, Math.min(limit, expected.size())));
        assertThat(page.nextCursor() != null).as(label).isEqualTo(expected.size() > limit);
        if (page.nextCursor() != null) {
            Cursors.FeedPosition after = Cursors.feed(page.nextCursor(), false, activity);
            TileQueries.Page next = queries.filtered(TENANT, k.user(), f, terms, limit, after, false, activity, window, null);
            assertThat(ids(next)).as(label + " page 2")
                    .isEqualTo(expected.subList(limit, Math.min(2 * limit, expected.size())));
        }
    }

    /**
     * Every matching tile of the tenant in the page's order, by the plainest statement: the
     * filter's row-by-row conditions over the whole tenant, sorted (no window, no term walk, no index).
     */
    private List<String> expected(String user, FeedFilter f, String[] terms, boolean activity) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(TENANT));
        StringBuilder sql = new StringBuilder("SELECT t.id FROM tile t WHERE t.tenant_id = ?").append(TileQueries.VISIBLE);
        f.appendTo(sql, params, TENANT, terms, false);
        f.appendRange(sql, params);
        try (Connection c = dataSource.getConnection()) {
            if (f.unread()) {
                sql.append(" AND ").append(TileQueries.NOT_READ_AT);
                params.add(TileQueries.watermark(c, TENANT, user));
                params.add(user);
            }
            sql.append(activity ? " ORDER BY t.latest_at DESC, t.id DESC" : " ORDER BY t.occurred_at DESC, t.id DESC");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                TileQueries.bind(c, ps, params);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        }
    }

    /**
     * A filter with one term that must hold (an actor, an entity, a tag, a type, a priority) walks
     * that term's tiles alone ({@code tile_term}): about a page's worth of rows, never the tenant's
     * order nor the GIN index, whether the term is rare, common or absent.
     */
    @Test
    void aFilterWithOneTermThatMustHoldWalksOnlyThatTermsTiles() throws Exception {
        for (Case k : List.of(new Case("actorId", "u7", "ann", null), new Case("actorId", "nobody", "ann", null),
                new Case("entity", "d42", "ann", null), new Case("tags", "team-3", "ann", null),
                new Case("priority", "high", "ann", null), new Case("types", "never.happens", "ann", null))) {
            for (int limit : new int[] {1, 20, 100}) {
                String label = k.name() + "=" + k.value() + " limit " + limit;
                List<TileQueries.Sql> trace = new ArrayList<>();
                queries.filtered(TENANT, k.user(), filter(k.name(), k.value()), new String[0], limit, null, false, false,
                        TileQueries.window(limit), trace);
                assertThat(trace).as(label).anyMatch(sql -> sql.text().contains("FROM tile_term x"));
                assertThat(trace).as(label).noneMatch(TileQueries.Sql::bitmapOnly);
                long walked = 0;
                for (TileQueries.Sql sql : trace) {
                    walked += assertBounded(label, sql, 2L * (limit + 1));
                }
                assertThat(walked).as(label + ": rows walked").isLessThanOrEqualTo(2L * (limit + 1));
            }
        }
    }

    /**
     * The term table follows every write of tiles: an insert, a group that grows (a new actor and tag,
     * one tag gone), a multi-row upsert, a delete; and the seeded tenant's rows are exactly its tiles' terms.
     */
    @Test
    void theTermTableHoldsExactlyEveryTilesTermsThroughInsertsUpdatesAndDeletes() throws SQLException {
        String tenant = "terms-" + Long.toHexString(System.nanoTime());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String insert = String.format("""
                    INSERT INTO tile (id, tenant_id, kind, type, source, priority, occurred_at, latest_at, count, tags,
                                      actor_ids, entity_types, entity_ids, content_seq, last_seq, body)
                    SELECT md5('%1$s' || g)::uuid, '%1$s', 'single', 'badge_earned', 'api', 'normal', now(), now(), 1,
                           ARRAY['a', 'b'], ARRAY['u' || g], ARRAY['deal'], ARRAY['d' || g], g, g, '{}'::jsonb
                    FROM generate_series(1, 3) g
                    """, tenant);
            s.execute(insert);
            assertTermsExact(s, tenant);
            s.execute(String.format("UPDATE tile SET tags = ARRAY['b', 'c'], actor_ids = actor_ids || 'u9'::text, count = 2"
                    + " WHERE id = md5('%1$s' || 1)::uuid", tenant));
            assertTermsExact(s, tenant);
            // a group that grows: new values appended to its sets (the trigger writes the tails' terms only)
            s.execute(String.format("UPDATE tile SET actor_ids = actor_ids || 'u7'::text, entity_ids = entity_ids || 'd7'::text,"
                    + " entity_types = entity_types || 'ticket'::text, tags = tags || 'z'::text, count = 2"
                    + " WHERE id = md5('%1$s' || 3)::uuid", tenant));
            assertTermsExact(s, tenant);
            assertThat(count(s, "SELECT count(*) FROM tile_term WHERE term = '" + Terms.actor(tenant, "u7") + "'")).isEqualTo(1);
            s.execute(String.format("UPDATE tile SET count = 3 WHERE tenant_id = '%s'", tenant));
            assertTermsExact(s, tenant);
            s.execute(insert.replace("FROM generate_series(1, 3) g", "FROM generate_series(2, 4) g")
                    + " ON CONFLICT (id) DO UPDATE SET entity_ids = tile.entity_ids || 'd99'::text, priority = 'high'");
            assertTermsExact(s, tenant);
            s.execute(String.format("DELETE FROM tile WHERE id = md5('%1$s' || 2)::uuid", tenant));
            assertTermsExact(s, tenant);
            assertThat(count(s, "SELECT count(*) FROM tile_term WHERE term LIKE '" + tenant + "%' AND term LIKE '%d99'"))
                    .isEqualTo(1); // tile 3's entity id (2 was updated too, then deleted; 4 was inserted)
            s.execute(String.format("DELETE FROM tile WHERE tenant_id = '%s'", tenant));
            assertThat(count(s, "SELECT count(*) FROM tile_term WHERE term LIKE '" + tenant + "%'")).isZero();
            assertTermsExact(s, TENANT);
        }
    }

    private static void assertTermsExact(Statement s, String tenant) throws SQLException {
        String kept = "SELECT term, occurred_at, tile_id FROM tile_term WHERE starts_with(term, '" + tenant + "' || chr(31))";
        String wanted = "SELECT DISTINCT x, t.occurred_at, t.id FROM tile t, unnest(t.terms) x WHERE t.tenant_id = '" + tenant + "'"
                + " AND split_part(x, chr(31), 2) <> 'e'"; // every term but the entity pairs
        assertThat(count(s, "SELECT count(*) FROM ((" + kept + ") EXCEPT (" + wanted + ")) d")).as(tenant + ": rows too many").isZero();
        assertThat(count(s, "SELECT count(*) FROM ((" + wanted + ") EXCEPT (" + kept + ")) d")).as(tenant + ": rows missing").isZero();
        assertThat(count(s, kept.replace("SELECT term, occurred_at, tile_id", "SELECT count(*)")))
                .isEqualTo(count(s, wanted.replace("SELECT DISTINCT x, t.occurred_at, t.id", "SELECT count(DISTINCT (x, t.id))")));
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * One tile in fifty matches (priority high; 10 of 1 000 follows that acted): the 5 000-row window
     * of a 100-tile page holds 100 matches, one short of knowing whether a next page exists. The walk
     * goes on for a few rows instead of asking the term index for every match below the window (which
     * for a thousand follow terms on 1 000 000 tiles took seconds).
     */
    @Test
    void aFilterMatchingOneTileInFiftyFillsAHundredTilePageByWalkingOnNotThroughTheTermIndex() {
        for (Case k : List.of(new Case("priority", "high", "ann", null), new Case("following", "true", "ann", follows(10)))) {
            List<TileQueries.Sql> trace = new ArrayList<>();
            String[] terms = k.follows() == null ? new String[0] : k.follows();
            TileQueries.Page page = queries.filtered(TENANT, k.user(), filter(k.name(), k.value()), terms, 100, null,
                    false, false, TileQueries.window(100), trace);
            assertThat(page.items()).as(k.name()).hasSize(100);
            assertThat(page.nextCursor()).as(k.name()).isNotNull();
            assertThat(trace).as(k.name()).noneMatch(TileQueries.Sql::bitmapOnly);
        }
    }

    /**
     * A thousand follows of which ten acted (one tile in fifty) and a type (one in six): one tile in
     * three hundred matches, too rare for the normal walk of a 20-tile page (five windows of 1 000).
     * The term index would check every candidate against all thousand follow terms (seconds on
     * 1 000 000 tiles), so the walk goes on, and neither the page nor the unread count uses the index.
     */
    @Test
    void manyFollowsWithARareTypeAreAnsweredByWalkingOnNotThroughTheTermIndex() throws Exception {
        Case k = new Case("following+types", "tasks_burst", "ann", follows(10));
        FeedFilter f = filter(k.name(), k.value());
        List<TileQueries.Sql> trace = new ArrayList<>();
        TileQueries.Page page = queries.filtered(TENANT, k.user(), f, k.follows(), 20, null, false, false,
                TileQueries.window(20), trace);
        assertThat(page.items()).hasSize(20);
        assertThat(page.nextCursor()).isNotNull();
        assertThat(trace).as("page").noneMatch(TileQueries.Sql::bitmapOnly);
        assertThat(TileQueries.maxWalk(TileQueries.window(20), f, k.follows()))
                .isGreaterThan(TileQueries.maxWalk(TileQueries.window(20)));
        trace.clear();
        try (Connection c = dataSource.getConnection()) {
            queries.unreadCount(c, TENANT, k.user(), f, k.follows(), trace);
        }
        assertThat(trace).as("unread count").noneMatch(TileQueries.Sql::bitmapOnly);
    }

    @Test
    void everyFilteredUnreadCountUsesBoundedIndexPathsAndCountsWhatTheWholeWalkCounts() throws Exception {
        for (Case k : cases()) {
            FeedFilter f = filter(k.name(), k.value());
            String[] terms = k.follows() == null ? new String[0] : k.follows();
            String label = "unread " + k.name() + "=" + k.value() + " for " + k.user();
            List<TileQueries.Sql> trace = new ArrayList<>();
            try (Connection c = dataSource.getConnection()) {
                TileQueries.Unread unread = queries.unreadCount(c, TENANT, k.user(), f, terms, trace);
                assertWalkBounded(label, trace, TileQueries.maxWalk(TileQueries.UNREAD_WINDOW, f, terms),
                        TileQueries.UNREAD_CAP + 1);
                if (f.selective() || f.to() != null) {
                    assertThat(unread).as(label)
                            .isEqualTo(queries.filteredUnread(c, TENANT, k.user(), f, terms, TILES + 1, null));
                }
            }
        }
    }

    private static List<String> ids(TileQueries.Page page) {
        return page.items().stream().map(FilterPlanTest::id).toList();
    }

    private static String id(String tile) {
        try {
            return MessageCodec.mapper().readTree(tile).path("id").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every traced statement is bounded ({@link #assertBounded}), and all of them together walk the
     * ordered indexes for at most twice {@code maxWalk} rows (each window is walked once to filter
     * and once to find its last position) plus {@code slack}.
     */
    private void assertWalkBounded(String label, List<TileQueries.Sql> trace, long maxWalk, int slack) throws Exception {
        long total = 0;
        for (TileQueries.Sql sql : trace) {
            total += assertBounded(label, sql, maxWalk + slack);
        }
        assertThat(total).as(label + ": rows walked in order by all statements").isLessThanOrEqualTo(2 * maxWalk + slack);
    }

    /**
     * EXPLAIN ANALYZE of one traced statement: no sequential scan of tile, and no walk of one of
     * its ordered indexes beyond {@code maxRows} (the tenant holds many more). Answers the rows it walked.
     */
    private long assertBounded(String label, TileQueries.Sql sql, long maxRows) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                if (sql.bitmapOnly()) {
                    st.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off");
                }
            }
            JsonNode plan;
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql.text())) {
                ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
                TileQueries.bind(c, ps, sql.params());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    plan = MessageCodec.mapper().readTree(rs.getString(1)).get(0).get("Plan");
                }
            }
            c.rollback();
            List<String> faults = new ArrayList<>();
            long walked = check(plan, maxRows, faults);
            assertThat(faults).as(label + "\n" + sql.text() + "\n" + plan.toPrettyString()).isEmpty();
            return walked;
        }
    }

    private static long check(JsonNode node, long maxRows, List<String> faults) {
        long walked = 0;
        String type = node.path("Node Type").asText();
        String relation = node.path("Relation Name").asText();
        String index = node.path("Index Name").asText();
        if (type.equals("Seq Scan") && (relation.equals("tile") || relation.equals("tile_term"))) {
            faults.add("sequential scan of " + relation);
        }
        if ((type.equals("Index Scan") || type.equals("Index Only Scan"))
                && (index.equals("tile_tenant_order") || index.equals("tile_tenant_content_seq")
                || index.equals("tile_tenant_activity") || index.equals("tile_term_pkey"))) {
            long rows = node.path("Actual Rows").asLong() * Math.max(1, node.path("Actual Loops").asLong());
            long removed = node.path("Rows Removed by Filter").asLong();
            if (rows + removed > maxRows) {
                faults.add(index + " walked " + (rows + removed) + " rows (at most " + maxRows + ")");
            }
            walked += rows + removed;
        }
        for (JsonNode child : node.path("Plans")) {
            walked += check(child, maxRows, faults);
        }
        return walked;
    }
}
