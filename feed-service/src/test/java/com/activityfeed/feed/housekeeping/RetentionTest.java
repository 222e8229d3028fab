package com.activityfeed.feed.housekeeping;

import com.activityfeed.feed.TestDb;
import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.testsupport.infra.InfraTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention (SPEC §6a) over the real database: what is older than the tenant's cut-off goes (tiles
 * with their events, aliases, read marks and mirrored social state, and expired events), what is
 * at or after it stays, in transactions of a bounded size, announced as removals; another tenant
 * is untouched and a second run finds nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class RetentionTest {
    private final EventIngestService ingest;
    private final HousekeepingService housekeeping;
    private final RetentionService retention;
    private final AgroalDataSource dataSource;

    RetentionTest(EventIngestService ingest, HousekeepingService housekeeping, RetentionService retention,
                  AgroalDataSource dataSource) {
        this.ingest = ingest;
        this.housekeeping = housekeeping;
        this.retention = retention;
        this.dataSource = dataSource;
    }

    @Test
    void rowsOlderThanTheCutoffGoInBoundedBatchesAndRowsAtOrAfterItStay() throws Exception {
        String tenant = TestEvents.tenant("retention");
        String other = TestEvents.tenant("retention-other");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant cutoff = now.minus(Duration.ofDays(400));

        List<RawEvent> events = new ArrayList<>();
        // five old singles (distinct types, so they do not group), a day before the cut-off
        for (int i = 0; i < 5; i++) {
            events.add(TestEvents.event(tenant, "old-" + i, cutoff.minus(Duration.ofDays(1)).minusSeconds(60L * i)).build());
        }
        // an old group of three
        for (int i = 0; i < 3; i++) {
            events.add(TestEvents.event(tenant, "old-group", cutoff.minus(Duration.ofDays(2)).plusSeconds(i)).build());
        }
        // the edge: one second before the cut-off goes, exactly at it stays
        RawEvent justOlder = TestEvents.event(tenant, "edge-older", cutoff.minusSeconds(1)).build();
        RawEvent atCutoff = TestEvents.event(tenant, "edge-at", cutoff).build();
        RawEvent recent = TestEvents.event(tenant, "recent", now.minus(Duration.ofDays(1))).build();
        // an old event that expired, so no tile shows it any more
        RawEvent expired = TestEvents.event(tenant, "old-expired", cutoff.minus(Duration.ofDays(3)))
                .expiresAt(now.minusSeconds(3600)).build();
        events.addAll(List.of(justOlder, atCutoff, recent, expired));
        ingest.store(events);
        // the other tenant has old rows too: only the named tenant's retention runs below
        RawEvent othersOld = TestEvents.event(other, "old-0", cutoff.minus(Duration.ofDays(5))).build();
        ingest.store(List.of(othersOld));
        while (housekeeping.expireDue(now) > 0) {
            // expire what is due, the old expired event included
        }
        assertThat(query("SELECT count(*) FROM event WHERE id = ? AND tile_id IS NULL", expired.id())).isEqualTo(1);
        assertThat(query("SELECT count(*) FROM tile WHERE tenant_id = ?", tenant)).isEqualTo(9);
        assertThat(query("SELECT count(*) FROM tile WHERE tenant_id = ? AND kind = 'group'", tenant)).isEqualTo(1);

        UUID oldTile = tileOf(justOlder.id());
        UUID group = tileOf(events.get(5).id());
        UUID keptTile = tileOf(recent.id());
        for (UUID tile : List.of(oldTile, keptTile)) {
            execute("INSERT INTO tile_read (tenant_id, user_id, tile_id, content_seq) VALUES (?, 'u', ?, 1)", tenant, tile);
            execute("INSERT INTO tile_social (tile_id, tenant_id, hype) VALUES (?, ?, 1)", tile, tenant);
            execute("INSERT INTO tile_reaction (tile_id, user_id, type, tenant_id) VALUES (?, 'u', 'hype', ?)", tile, tenant);
        }
        assertThat(query("SELECT count(*) FROM tile_alias WHERE group_id = ?", group)).isPositive();
        long changesBefore = query("SELECT count(*) FROM change_log WHERE tenant_id = ?", tenant);

        // batches of two events: the group (three members, at least one tile per batch) alone, then
        // the six old singles two by two, then the expired event
        RetentionService.Result result = retention.retain(tenant, cutoff, 2, () -> false);
        assertThat(result.tiles()).isEqualTo(7);
        assertThat(result.events()).isEqualTo(10);
        assertThat(result.transactions()).isEqualTo(5);

        assertThat(ids("SELECT id FROM event WHERE tenant_id = ? ORDER BY occurred_at", tenant))
                .containsExactly(atCutoff.id(), recent.id());
        assertThat(query("SELECT count(*) FROM tile WHERE tenant_id = ?", tenant)).isEqualTo(2);
        assertThat(query("SELECT count(*) FROM tile WHERE id = ?", keptTile)).isEqualTo(1);
        assertThat(query("SELECT count(*) FROM tile_alias WHERE group_id = ?", group)).isZero();
        assertThat(query("SELECT count(*) FROM grouping_window WHERE tenant_id = ? AND group_id = ?", tenant, group)).isZero();
        for (String table : List.of("tile_read", "tile_social", "tile_reaction")) {
            assertThat(query("SELECT count(*) FROM " + table + " WHERE tile_id = ?", oldTile)).as(table).isZero();
            assertThat(query("SELECT count(*) FROM " + table + " WHERE tile_id = ?", keptTile)).as(table).isEqualTo(1);
        }
        // each deleted tile is announced as removed, for open clients and social-service's projection
        assertThat(query("SELECT count(*) FROM change_log WHERE tenant_id = ?", tenant)).isEqualTo(changesBefore + 7);
        assertThat(query("SELECT count(*) FROM change_log WHERE tenant_id = ? AND event = 'activity.event.removed'"
                + " AND message LIKE '%\"reason\":\"retention\"%'", tenant)).isEqualTo(7);

        // the other tenant is untouched, and a second run finds nothing
        assertThat(query("SELECT count(*) FROM event WHERE tenant_id = ?", other)).isEqualTo(1);
        RetentionService.Result again = retention.retain(tenant, cutoff, 2, () -> false);
        assertThat(again.transactions()).isZero();
        assertThat(query("SELECT count(*) FROM change_log WHERE tenant_id = ?", tenant)).isEqualTo(changesBefore + 7);
    }

    @Test
    void aStopBetweenBatchesLeavesTheRestForTheNextRun() throws Exception {
        String tenant = TestEvents.tenant("retention-stop");
        Instant cutoff = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofDays(400));
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(TestEvents.event(tenant, "old-" + i, cutoff.minus(Duration.ofDays(1 + i))).build());
        }
        ingest.store(events);
        int[] batches = {0};
        RetentionService.Result first = retention.retain(tenant, cutoff, 1, () -> batches[0]++ >= 2);
        assertThat(first.transactions()).isEqualTo(2);
        assertThat(query("SELECT count(*) FROM tile WHERE tenant_id = ?", tenant)).isEqualTo(2);
        RetentionService.Result rest = retention.retain(tenant, cutoff, 1000, () -> false);
        assertThat(rest.transactions()).isEqualTo(1);
        assertThat(rest.tiles()).isEqualTo(2);
        assertThat(query("SELECT count(*) FROM event WHERE tenant_id = ?", tenant)).isZero();
    }

    private UUID tileOf(UUID eventId) throws SQLException {
        List<UUID> ids = ids("SELECT tile_id FROM event WHERE id = ?", eventId);
        assertThat(ids).hasSize(1);
        return ids.getFirst();
    }

    private List<UUID> ids(String sql, Object... args) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private long query(String sql, Object... args) throws SQLException {
        return TestDb.number(dataSource, sql, args);
    }

    private void execute(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args)) {
            ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }
}
