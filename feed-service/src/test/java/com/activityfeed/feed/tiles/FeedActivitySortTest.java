package com.activityfeed.feed.tiles;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.grouping.TileIds;
import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** {@code GET /api/v1/feed?sort=activity} (SPEC §4): (latestAt, id) order, cursors, and its index. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class FeedActivitySortTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private final EventIngestService ingest;
    private final AgroalDataSource dataSource;

    FeedActivitySortTest(EventIngestService ingest, AgroalDataSource dataSource) {
        this.ingest = ingest;
        this.dataSource = dataSource;
    }

    private static JsonPath get(String token, Map<String, ?> query) {
        return given().auth().oauth2(token).queryParams(query).when().get("/api/v1/feed").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void aGroupThatGrowsMovesToTheTopOnlyInActivityOrder() {
        String tenant = TestEvents.tenant("activity");
        List<RawEvent> group = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            group.add(TestEvents.event(tenant, "badge_earned", T0.plusSeconds(i)).build());
        }
        RawEvent later = TestEvents.event(tenant, "xp_rank_up", T0.plusSeconds(60)).build();
        ingest.store(List.of(group.get(0), group.get(1), group.get(2), later));
        String token = TestTokens.reader(tenant, "u");
        String groupId = TileIds.group(tenant, group.get(0).id()).toString();
        assertThat(get(token, Map.of("sort", "activity")).getList("items.id")).containsExactly(later.id().toString(), groupId);

        // a fourth badge 2 minutes in: the group's latestAt passes the rank-up's occurredAt
        ingest.store(List.of(TestEvents.event(tenant, "badge_earned", T0.plusSeconds(120)).build()));
        JsonPath activity = get(token, Map.of("sort", "activity"));
        assertThat(activity.getList("items.id")).containsExactly(groupId, later.id().toString());
        assertThat(activity.getInt("items[0].count")).isEqualTo(4);
        assertThat(activity.getString("items[0].occurredAt")).as("the tile JSON is unchanged").isEqualTo(T0.toString());
        assertThat(get(token, Map.of()).getList("items.id")).as("the default order keeps first-member order")
                .containsExactly(later.id().toString(), groupId);
        assertThat(get(token, Map.of("sort", "activity", "order", "asc")).getList("items.id"))
                .containsExactly(later.id().toString(), groupId);
    }

    @Test
    void cursorsStayValidWhileTilesMoveAndEveryTileIsSeen() {
        String tenant = TestEvents.tenant("actpages");
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(TestEvents.event(tenant, "type_" + i, T0.plusSeconds(i * 10L)).build());
        }
        // same latestAt for several tiles: the id breaks the tie
        for (int i = 0; i < 5; i++) {
            events.add(TestEvents.event(tenant, "tie_" + i, T0.plusSeconds(500)).build());
        }
        // a group of three that will grow while we page
        for (int i = 0; i < 3; i++) {
            events.add(TestEvents.event(tenant, "streak_milestone", T0.plusSeconds(1 + i)).build());
        }
        ingest.store(events);
        String token = TestTokens.reader(tenant, "u");
        Set<String> seen = new LinkedHashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> q = new HashMap<>(Map.of("sort", "activity", "limit", 7));
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            JsonPath page = get(token, q);
            List<String> ids = page.getList("items.id");
            List<String> latest = page.getList("items.latestAt");
            for (int i = 0; i < ids.size(); i++) {
                order.add(latest.get(i) + "|" + ids.get(i));
            }
            seen.addAll(ids);
            cursor = page.getString("nextCursor");
            if (pages == 0) {
                // the group grows after the first page was read: the cursor must still work
                ingest.store(List.of(TestEvents.event(tenant, "streak_milestone", T0.plusSeconds(200)).build()));
            }
            pages++;
        } while (cursor != null && pages < 20);
        assertThat(pages).isEqualTo(5);
        assertThat(seen).hasSize(31);
        List<String> sorted = new ArrayList<>(order);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertThat(order).as("newest latestAt first, id breaking ties").isEqualTo(sorted);
    }

    @Test
    void cursorsOfTheOtherSortAndBadSortsAreRefused() {
        String tenant = TestEvents.tenant("actbad");
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(TestEvents.event(tenant, "kind_" + i, T0.plusSeconds(i)).build());
        }
        ingest.store(events);
        String token = TestTokens.reader(tenant, "u");
        String byOccurred = get(token, Map.of("limit", 1)).getString("nextCursor");
        String byActivity = get(token, Map.of("limit", 1, "sort", "activity")).getString("nextCursor");
        given().auth().oauth2(token).queryParam("sort", "activity").queryParam("cursor", byOccurred)
                .when().get("/api/v1/feed").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("other sort"));
        given().auth().oauth2(token).queryParam("cursor", byActivity)
                .when().get("/api/v1/feed").then().statusCode(400).body("detail", containsString("other sort"));
        given().auth().oauth2(token).queryParam("sort", "newest")
                .when().get("/api/v1/feed").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("sort must be"));
        given().auth().oauth2(token).queryParam("sort", "occurred").queryParam("cursor", byOccurred)
                .when().get("/api/v1/feed").then().statusCode(200);
    }

    /** 20,000 tiles in one tenant: the activity page walks tile_tenant_activity and sorts nothing. */
    @Test
    void theActivityPageUsesItsIndex() throws Exception {
        String tenant = TestEvents.tenant("actplan");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tile (id, tenant_id, kind, type, source, priority, occurred_at, latest_at, count,
                                      content_seq, last_seq, body)
                    SELECT gen_random_uuid(), ?, 'single', 'bulk', 'api', 'normal',
                           timestamptz '2026-01-01' + g * interval '1 minute',
                           timestamptz '2026-01-01' + (g * 7919 % 20000) * interval '1 minute', 1, g, g, '{}'::jsonb
                    FROM generate_series(1, 20000) g""")) {
                ps.setString(1, tenant);
                ps.executeUpdate();
            }
            s.execute("ANALYZE tile");
            for (boolean withCursor : new boolean[]{false, true}) {
                for (boolean ascending : new boolean[]{false, true}) {
                    List<Object> params = new ArrayList<>();
                    Cursors.FeedPosition after = withCursor
                            ? new Cursors.FeedPosition(ascending, Instant.parse("2026-01-05T00:00:00Z"), UUID.randomUUID())
                            : null;
                    String sql = TileQueries.feedSql("u", tenant, FeedFilter.parse(null, null, null, null, null, null,
                            null, null, null, null, null), 20, after, ascending, true, params);
                    String plan = explain(c, sql, params);
                    assertThat(plan).as("plan with cursor=%s ascending=%s:%n%s", withCursor, ascending, plan)
                            .contains("tile_tenant_activity").doesNotContain("Sort Key: t.latest_at").doesNotContain("Seq Scan on tile ");
                }
            }
        }
    }

    private static String explain(Connection c, String sql, List<Object> params) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
            TileQueries.bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }
}
