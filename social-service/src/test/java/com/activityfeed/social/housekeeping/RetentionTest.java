package com.activityfeed.social.housekeeping;

import com.activityfeed.social.Fixtures;
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
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * social-service's retention (SPEC §6a) over the real database: comments, chat messages and
 * reactions older than the cut-off go, with emptied old threads (never Main) and tile projections
 * the feed removed; rows exactly at the cut-off and newer stay; batches are bounded; the default
 * pass leaves tenants with their own retention alone.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "social"))
class RetentionTest {
    private final RetentionService retention;
    private final AgroalDataSource dataSource;

    RetentionTest(RetentionService retention, AgroalDataSource dataSource) {
        this.retention = retention;
        this.dataSource = dataSource;
    }

    @Test
    void rowsOlderThanTheCutoffGoInBoundedBatchesAndRowsAtOrAfterItStay() throws Exception {
        String tenant = Fixtures.tenant();
        String own = Fixtures.tenant();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant cutoff = now.minus(Duration.ofDays(400));
        Instant old = cutoff.minus(Duration.ofDays(1));
        UUID tile = UUID.randomUUID();

        // comments: five old, one a second before the cut-off (goes), one exactly at it and one new (stay)
        for (int i = 0; i < 5; i++) {
            comment(tenant, tile, old.minusSeconds(i), "old " + i);
        }
        comment(tenant, tile, cutoff.minusSeconds(1), "just older");
        UUID atCutoff = comment(tenant, tile, cutoff, "at the cut-off");
        UUID recent = comment(tenant, tile, now, "new");
        // chat: an old thread with three old messages (both go), Main with two old and one new message
        UUID thread = thread(tenant, false, old);
        UUID main = thread(tenant, true, old);
        for (int i = 0; i < 3; i++) {
            message(tenant, thread, old.minusSeconds(i));
        }
        message(tenant, main, old);
        message(tenant, main, cutoff.minusSeconds(1));
        UUID newMessage = message(tenant, main, now);
        // reactions: two old, one at the cut-off
        reaction(tenant, tile, "a", old);
        reaction(tenant, tile, "b", cutoff.minusSeconds(1));
        reaction(tenant, tile, "c", cutoff);
        // tile projections: removed long ago with an alias (both go), removed lately and live ones (stay)
        UUID removedOld = projection(tenant, true, null, old);
        projection(tenant, false, removedOld, old);
        UUID removedNew = projection(tenant, true, null, now);
        UUID liveOld = projection(tenant, false, null, old);
        // a tenant with its own retention: the default pass leaves it alone
        UUID ownComment = comment(own, tile, old, "own retention");

        Map<String, Map<String, Long>> deleted = new TreeMap<>();
        int transactions = retention.retain(null, List.of(own), cutoff, 2, () -> false, deleted);

        assertThat(deleted.get(tenant)).containsExactlyInAnyOrderEntriesOf(Map.of("comment", 6L, "chat_message", 5L,
                "reaction", 2L, "chat_thread", 1L, "tile", 2L));
        assertThat(deleted).doesNotContainKey(own);
        // two rows per transaction: 3 for comments, 3 for messages, 1 reaction, 1 thread, 2 tiles
        // (the alias goes once its group is gone)
        assertThat(transactions).isEqualTo(10);
        assertThat(ids("SELECT id FROM comment WHERE tenant_id = ? ORDER BY created_at", tenant))
                .containsExactly(atCutoff, recent);
        assertThat(ids("SELECT id FROM chat_message WHERE tenant_id = ?", tenant)).containsExactly(newMessage);
        assertThat(ids("SELECT id FROM chat_thread WHERE tenant_id = ?", tenant)).containsExactly(main);
        assertThat(count("SELECT count(*) FROM reaction WHERE tenant_id = ?", tenant)).isEqualTo(1);
        assertThat(ids("SELECT id FROM tile WHERE tenant_id = ?", tenant)).containsExactlyInAnyOrder(removedNew, liveOld);
        assertThat(ids("SELECT id FROM comment WHERE tenant_id = ?", own)).containsExactly(ownComment);

        // a second pass finds nothing; the tenant's own pass deletes its old comment
        assertThat(retention.retain(null, List.of(own), cutoff, 2, () -> false, new TreeMap<>())).isZero();
        Map<String, Map<String, Long>> owns = new TreeMap<>();
        assertThat(retention.retain(own, List.of(), cutoff, 2, () -> false, owns)).isEqualTo(1);
        assertThat(owns).containsOnlyKeys(own);
        assertThat(count("SELECT count(*) FROM comment WHERE tenant_id = ?", own)).isZero();
    }

    private UUID comment(String tenant, UUID tile, Instant at, String body) throws SQLException {
        UUID id = UUID.randomUUID();
        execute("INSERT INTO comment (id, tenant_id, tile_id, origin_tile, author_id, author_name, body, created_at)"
                + " VALUES (?, ?, ?, ?, 'ada', 'Ada', ?, ?)", id, tenant, tile, tile, body, Timestamp.from(at));
        return id;
    }

    private UUID thread(String tenant, boolean main, Instant at) throws SQLException {
        UUID id = UUID.randomUUID();
        execute("INSERT INTO chat_thread (id, tenant_id, title, is_main, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                id, tenant, main ? "Main" : "Old thread", main, Timestamp.from(at), Timestamp.from(at));
        return id;
    }

    private UUID message(String tenant, UUID thread, Instant at) throws SQLException {
        UUID id = UUID.randomUUID();
        execute("INSERT INTO chat_message (id, tenant_id, thread_id, author_id, author_name, body, created_at)"
                + " VALUES (?, ?, ?, 'ada', 'Ada', 'hello', ?)", id, tenant, thread, Timestamp.from(at));
        return id;
    }

    private void reaction(String tenant, UUID tile, String user, Instant at) throws SQLException {
        execute("INSERT INTO reaction (tile_id, user_id, type, tenant_id, created_at) VALUES (?, ?, 'hype', ?, ?)",
                tile, user, tenant, Timestamp.from(at));
    }

    private UUID projection(String tenant, boolean removed, UUID aliasOf, Instant seen) throws SQLException {
        UUID id = UUID.randomUUID();
        execute("INSERT INTO tile (id, tenant_id, kind, removed, alias_of, seen_at) VALUES (?, ?, 'single', ?, ?, ?)",
                id, tenant, removed, aliasOf, Timestamp.from(seen));
        return id;
    }

    private List<UUID> ids(String sql, Object... args) throws SQLException {
        List<UUID> ids = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private long count(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
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
