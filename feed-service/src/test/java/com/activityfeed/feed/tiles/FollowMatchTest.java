package com.activityfeed.feed.tiles;

import com.activityfeed.testsupport.infra.InfraTestResource;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The row-by-row {@code following} check ({@link FollowMatch}) keeps exactly the tiles whose terms
 * overlap the follow terms (the definition, and what the GIN path asks), for single tiles and for
 * groups of several actors, entity ids or entity types, for every kind of follow, and never a tile
 * because another tenant follows its values.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class FollowMatchTest {
    private static final String TENANT = "fm-" + Long.toHexString(System.nanoTime());
    private static final String OTHER = TENANT + "-other";

    private final AgroalDataSource dataSource;

    FollowMatchTest(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The same seven tiles in both tenants (written once: a second run of it changes nothing). */
    @BeforeEach
    void tilesOfEveryShape() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tile (id, tenant_id, kind, type, source, priority, occurred_at, latest_at, count, tags,
                                  actor_ids, entity_types, entity_ids, content_seq, last_seq, body)
                SELECT md5(tenant || name)::uuid, tenant, CASE WHEN cardinality(actors) > 1 OR cardinality(ids) > 1
                           THEN 'group' ELSE 'single' END, type, 'api', 'normal',
                       now(), now(), 1, '{}', actors, etypes, ids, n, n, '{}'::jsonb
                FROM unnest(?::text[]) tenant, (VALUES
                    (1, 'single', 'badge_earned', ARRAY['ada'], ARRAY['deal'], ARRAY['d1']),
                    (2, 'no-entity', 'task_completed', ARRAY['bob'], '{}'::text[], '{}'::text[]),
                    (3, 'two-actors', 'task_completed', ARRAY['carl', 'dana'], ARRAY['deal'], ARRAY['d2']),
                    (4, 'two-ids', 'badge_earned', ARRAY['eve'], ARRAY['deal'], ARRAY['d3', 'd4']),
                    (5, 'two-types', 'xp_rank_up', ARRAY['fay'], ARRAY['deal', 'issue'], ARRAY['d5', 'i6']),
                    (6, 'issue', 'streak_milestone', ARRAY['gus'], ARRAY['issue'], ARRAY['i7']),
                    (7, 'no-actor', 'deploy_finished', '{}'::text[], ARRAY['service'], ARRAY['api'])
                ) v(n, name, type, actors, etypes, ids)
                ON CONFLICT (id) DO NOTHING""")) {
            ps.setArray(1, c.createArrayOf("text", new String[]{TENANT, OTHER}));
            ps.executeUpdate();
        }
    }

    @Test
    void keepsTheTilesWhoseTermsOverlapTheFollowsForSinglesAndGroups() throws Exception {
        assertMatch(List.of(Terms.actor(TENANT, "ada")), "single");
        assertMatch(List.of(Terms.actor(TENANT, "dana")), "two-actors");
        assertMatch(List.of(Terms.entity(TENANT, "deal", "d4")), "two-ids");
        // a group's entity pairs are its types times its ids
        assertMatch(List.of(Terms.entity(TENANT, "issue", "d5")), "two-types");
        assertMatch(List.of(Terms.entity(TENANT, "deal", "d1")), "single");
        assertMatch(List.of(Terms.entity(TENANT, "service", "api")), "no-actor");
        assertMatch(List.of(Terms.type(TENANT, "task_completed")), "no-entity", "two-actors");
        assertMatch(List.of(Terms.actor(TENANT, "nobody"), Terms.entity(TENANT, "deal", "d9")));
        assertMatch(List.of(Terms.type(TENANT, "deploy_finished"), Terms.actor(TENANT, "gus")), "issue", "no-actor");
        // another tenant's follow of the same values matches nothing here
        assertMatch(List.of(Terms.actor(OTHER, "ada"), Terms.type(OTHER, "badge_earned")));
    }

    /** Enough follows of each kind for PostgreSQL to hash them (nine values and more). */
    @Test
    void manyFollowsOfEveryKindKeepTheSameTiles() throws Exception {
        List<String> follows = new ArrayList<>();
        IntStream.range(0, 20).forEach(i -> {
            follows.add(Terms.actor(TENANT, "nobody-" + i));
            follows.add(Terms.entity(TENANT, "deal", "none-" + i));
            follows.add(Terms.type(TENANT, "never_" + i));
        });
        assertMatch(follows);
        follows.add(Terms.actor(TENANT, "carl"));
        follows.add(Terms.entity(TENANT, "deal", "d3"));
        follows.add(Terms.entity(TENANT, "deal", "i6"));
        follows.add(Terms.type(TENANT, "streak_milestone"));
        follows.add(Terms.actor(OTHER, "bob"));
        assertMatch(follows, "two-actors", "two-ids", "two-types", "issue");
    }

    /**
     * The tiles {@link FollowMatch} keeps are {@code expected}, and the same as those whose terms
     * overlap the follows.
     */
    private void assertMatch(List<String> follows, String... expected) throws SQLException {
        String[] terms = follows.toArray(String[]::new);
        StringBuilder sql = new StringBuilder("SELECT t.id FROM tile t WHERE t.tenant_id = ?");
        List<Object> params = new ArrayList<>(List.of(TENANT));
        FollowMatch.appendTo(sql, params, TENANT, terms);
        Set<String> checked = ids(sql.toString(), params);
        Set<String> overlapping = ids("SELECT t.id FROM tile t WHERE t.tenant_id = ? AND t.terms && ?::text[]",
                List.of(TENANT, terms));
        Set<String> wanted = new TreeSet<>();
        for (String name : expected) {
            wanted.addAll(ids("SELECT md5(? || ?)::uuid", List.of(TENANT, name)));
        }
        assertThat(checked).as("follows %s", Stream.of(terms).map(t -> t.replace(Terms.SEPARATOR, '/')).toList())
                .isEqualTo(wanted)
                .isEqualTo(overlapping);
    }

    private Set<String> ids(String sql, List<Object> params) throws SQLException {
        Set<String> ids = new TreeSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
            TileQueries.bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
