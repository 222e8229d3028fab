package com.activityfeed.feed.ingest;

import com.activityfeed.feed.TestDb;
import com.activityfeed.feed.TestEvents;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.testsupport.infra.InfraTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grouping as the consumer applies it (EventIngestService, GroupingPass, windows and tiles in
 * PostgreSQL), not a model of it: the result depends only on the per-tenant order of events, never
 * on how the log is cut into batches, and a redelivery changes nothing (SPEC §4).
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class GroupingPassTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private final EventIngestService ingest;
    private final AgroalDataSource dataSource;

    GroupingPassTest(EventIngestService ingest, AgroalDataSource dataSource) {
        this.ingest = ingest;
        this.dataSource = dataSource;
    }

    /** One recorded event: its position in the log decides everything else. */
    private record Recorded(int position, int tenant, String type, Instant at, Priority priority) {
    }

    @Test
    void replayingARecordedSequenceInAnyBatchSplitGivesIdenticalTiles() throws Exception {
        Random random = new Random(42);
        String[] types = {"a", "b", "c"};
        List<Recorded> recorded = new ArrayList<>();
        List<Integer> log = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Instant at = T0.plusSeconds(i * 7L - random.nextInt(600)); // out of order, some late
            recorded.add(new Recorded(i, random.nextInt(2), types[random.nextInt(3)], at,
                    random.nextInt(10) == 0 ? Priority.HIGH : Priority.NORMAL));
            log.add(i);
            if (random.nextInt(20) == 0) {
                log.add(random.nextInt(i + 1)); // a duplicate delivery of an earlier event
            }
        }

        Map<String, List<List<Integer>>> reference = null;
        for (int split : new int[]{log.size(), 100, 7, 1}) {
            String run = "split" + split + "-" + UUID.randomUUID().toString().substring(0, 8);
            List<RawEvent> events = log.stream().map(p -> event(run, recorded.get(p))).toList();
            for (int from = 0; from < events.size(); from += split) {
                ingest.store(events.subList(from, Math.min(events.size(), from + split)));
            }
            Map<String, List<List<Integer>>> tiles = new TreeMap<>();
            for (int tenant = 0; tenant < 2; tenant++) {
                tiles.put("t" + tenant, tilesByPosition(run, tenant));
            }
            if (reference == null) {
                reference = tiles;
                assertThat(tiles.values().stream().flatMap(List::stream).anyMatch(m -> m.size() >= 3))
                        .as("the log forms groups").isTrue();
            } else {
                assertThat(tiles).as("tiles after batches of " + split).isEqualTo(reference);
            }
        }
    }

    @Test
    void duplicateDeliveriesAndReplaysChangeNothing() throws Exception {
        String tenant = TestEvents.tenant("dup");
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(TestEvents.event(tenant, "x", T0.plusSeconds(i)).build());
        }
        assertThat(ingest.store(events)).isEqualTo(5);
        List<String> before = state(tenant);
        assertThat(before).anyMatch(row -> row.startsWith("tile group 5"));

        assertThat(ingest.store(events)).isZero();
        assertThat(ingest.store(List.of(events.get(1)))).isZero();
        assertThat(ingest.store(List.of(events.get(4), events.get(0), events.get(4)))).isZero();
        assertThat(state(tenant)).isEqualTo(before);
    }

    @Test
    void aGroupGrownSeveralTimesInOneBatchGetsOneUpdateWithItsFinalState() throws Exception {
        String tenant = TestEvents.tenant("coalesce");
        List<RawEvent> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(TestEvents.event(tenant, "x", T0.plusSeconds(i)).build());
        }
        ingest.store(first); // a group of three
        long before = lastSeq(tenant);
        List<RawEvent> more = new ArrayList<>();
        for (int i = 3; i < 9; i++) {
            more.add(TestEvents.event(tenant, "x", T0.plusSeconds(i)).build());
        }

        ingest.store(more); // six more members in one batch

        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT l.seq, l.event, l.message::jsonb -> 'data' ->> 'count', t.count, t.content_seq
                FROM change_log l JOIN tile t ON t.id = l.tile_id WHERE l.tenant_id = ? AND l.seq > ? ORDER BY l.seq""")) {
            ps.setString(1, tenant);
            ps.setLong(2, before);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a change for the batch").isTrue();
                assertThat(rs.getString(2)).isEqualTo("activity.event.updated");
                assertThat(rs.getString(3)).as("the change carries the final count").isEqualTo("9");
                assertThat(rs.getInt(4)).isEqualTo(9);
                assertThat(rs.getLong(5)).as("the tile's content number is its update's").isEqualTo(rs.getLong(1));
                assertThat(rs.next()).as("one update, not one per member").isFalse();
            }
        }
    }

    private long lastSeq(String tenant) throws Exception {
        return TestDb.number(dataSource, "SELECT last_seq FROM tenant_seq WHERE tenant_id = ?", tenant);
    }

    private static RawEvent event(String run, Recorded r) {
        UUID id = UUID.nameUUIDFromBytes((run + "/" + r.position()).getBytes(StandardCharsets.UTF_8));
        return TestEvents.event(run + "-t" + r.tenant(), r.type(), r.at()).id(id).priority(r.priority())
                .actor("ada", "Ada").build();
    }

    /** The tenant's tiles as lists of their members' log positions, sorted, so runs with other ids compare. */
    private List<List<Integer>> tilesByPosition(String run, int tenant) throws Exception {
        Map<UUID, Integer> positions = new HashMap<>();
        for (int p = 0; p < 400; p++) {
            positions.put(UUID.nameUUIDFromBytes((run + "/" + p).getBytes(StandardCharsets.UTF_8)), p);
        }
        Map<UUID, List<Integer>> members = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, tile_id FROM event WHERE tenant_id = ? ORDER BY pos")) {
            ps.setString(1, run + "-t" + tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.computeIfAbsent(rs.getObject(2, UUID.class), t -> new ArrayList<>())
                            .add(positions.get(rs.getObject(1, UUID.class)));
                }
            }
        }
        List<List<Integer>> tiles = new ArrayList<>(members.values());
        tiles.sort((x, y) -> Integer.compare(x.getFirst(), y.getFirst()));
        return tiles;
    }

    /** Every row a redelivery could touch: tiles (kind, count, numbers, JSON), windows, the log's length. */
    private List<String> state(String tenant) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT kind, count, content_seq, last_seq, body::text FROM tile WHERE tenant_id = ? ORDER BY id")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add("tile " + rs.getString(1) + " " + rs.getInt(2) + " " + rs.getLong(3) + " "
                                + rs.getLong(4) + " " + rs.getString(5));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT (SELECT count(*) FROM change_log WHERE tenant_id = ?), (SELECT last_seq FROM tenant_seq WHERE tenant_id = ?),"
                            + " (SELECT count(*) FROM event WHERE tenant_id = ?), (SELECT count(*) FROM tile_alias WHERE tenant_id = ?)")) {
                for (int i = 1; i <= 4; i++) {
                    ps.setString(i, tenant);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rows.add("changes " + rs.getLong(1) + " last " + rs.getLong(2) + " events " + rs.getLong(3)
                            + " aliases " + rs.getLong(4));
                }
            }
        }
        return rows;
    }
}
