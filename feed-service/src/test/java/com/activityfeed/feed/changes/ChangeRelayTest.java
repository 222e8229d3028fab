package com.activityfeed.feed.changes;

import com.activityfeed.feed.TestDb;
import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.InfraTestResource;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class ChangeRelayTest {
    private final EventIngestService store;
    private final TenantLog tenantLog;
    private final AgroalDataSource dataSource;
    private final MeterRegistry registry;

    ChangeRelayTest(EventIngestService store, TenantLog tenantLog, AgroalDataSource dataSource, MeterRegistry registry) {
        this.store = store;
        this.tenantLog = tenantLog;
        this.dataSource = dataSource;
        this.registry = registry;
    }

    @Test
    void storedChangesReachFeedChangesInSequenceOrder() {
        String tenant = "relay-" + UUID.randomUUID().toString().substring(0, 8);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            store.store(List.of(new RawEvent(1, id, tenant, "badge_earned", null, null, Instant.now(), Instant.now(),
                    null, null, "api", Priority.HIGH, List.of(), null, null, null, null, null)));
        }

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "relay-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.FEED_CHANGES));
            List<FeedChange> mine = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    FeedChange change = MessageCodec.readFeedChange(r.value());
                    if (change.tenantId().equals(tenant)) {
                        assertThat(r.key()).isEqualTo(tenant);
                        mine.add(change);
                    }
                });
                return mine.size() >= 3;
            });
            assertThat(mine).extracting(FeedChange::seq).containsExactly(1L, 2L, 3L);
            assertThat(mine).extracting(FeedChange::tileId).containsExactlyElementsOf(ids);
            assertThat(mine).allSatisfy(c -> assertThat(c.event()).isEqualTo(FeedEvents.TILE_CREATED));
        }
    }

    @Test
    void anotherTenantsChangeGoesOutWhileOneTenantHasALargeBacklog() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // names that sort the busy tenant first, as the old "ORDER BY tenant_id, seq" relay favoured it
        String busy = "fair-a-" + run;
        String quiet = "fair-b-" + run;
        int backlog = 20_000;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.FEED_CHANGES));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
            });
            appendInOneTransaction(busy, backlog);
            appendInOneTransaction(quiet, 1);

            long quietAt = -1;
            long busyLastAt = -1;
            int busySeen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while ((quietAt < 0 || busySeen < backlog) && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (quiet.equals(r.key())) {
                        quietAt = r.timestamp();
                    } else if (busy.equals(r.key())) {
                        busySeen++;
                        busyLastAt = Math.max(busyLastAt, r.timestamp());
                    }
                }
            }
            assertThat(quietAt).as("the quiet tenant's change was relayed").isPositive();
            assertThat(busySeen).isEqualTo(backlog);
            // the quiet tenant did not wait for the busy tenant's backlog to drain
            assertThat(quietAt).isLessThan(busyLastAt);
        }
    }

    @Test
    void aRoundThatWasNotFullIsNotFollowedByALookThatFindsNothing() {
        // Each commit wakes the relay; after sending a round that was not full it waits for the next
        // wake-up. It used to look again at once and find nothing: four statements per commit for
        // nothing. Only the fallback look (every poll interval, 200 ms) may still find nothing.
        String tenant = "rounds-" + UUID.randomUUID().toString().substring(0, 8);
        double emptyBefore = rounds("empty");
        double sentBefore = rounds("sent");
        long start = System.nanoTime();
        int commits = 40;
        for (int i = 0; i < commits; i++) {
            appendInOneTransaction(tenant, 1);
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> TestDb.number(dataSource, "SELECT count(*) FROM change_outbox WHERE tenant_id = ?", tenant) == 0);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double empty = rounds("empty") - emptyBefore;
        assertThat(rounds("sent") - sentBefore).isGreaterThanOrEqualTo(commits);
        // the fallback looks at most every 200 ms; the old loop found nothing once per commit
        // (41 empty rounds in 4.8 s for these 40 commits)
        assertThat(empty).as("empty rounds in %.1f s for %d commits", seconds, commits)
                .isLessThanOrEqualTo(seconds * 5 + 5);
    }

    private double rounds(String result) {
        var counter = registry.find("outbox.relay.rounds").tag("relay", "feed-change-relay").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void relayedRowsAreDeletedByLocationTouchingOnlyThoseRows() throws Exception {
        // inside one transaction that is rolled back: the running relay never sees these rows
        String tenant = "ctid-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var insert = c.prepareStatement("INSERT INTO change_outbox (tenant_id, seq) SELECT ?, g FROM generate_series(1, 20) g")) {
                insert.setString(1, tenant);
                insert.executeUpdate();
            }
            List<String> locations = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            try (var select = c.prepareStatement("SELECT ctid::text, seq FROM change_outbox WHERE tenant_id = ? AND seq <= 5 ORDER BY seq")) {
                select.setString(1, tenant);
                try (var rs = select.executeQuery()) {
                    while (rs.next()) {
                        locations.add(rs.getString(1));
                        seqs.add(rs.getLong(2));
                    }
                }
            }
            // a location whose row has another id is left alone (the ids guard the locations)
            assertThat(delete(c, locations.subList(0, 1), List.of(99L))).isZero();
            assertThat(delete(c, locations, seqs)).isEqualTo(5);
            try (var left = c.prepareStatement("SELECT min(seq), count(*) FROM change_outbox WHERE tenant_id = ?")) {
                left.setString(1, tenant);
                try (var rs = left.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(6);
                    assertThat(rs.getLong(2)).isEqualTo(15);
                }
            }
            // the plan: a TID scan of those rows, never a scan of the outbox (mostly dead rows under load)
            try (var explain = c.prepareStatement("EXPLAIN (FORMAT JSON) " + ChangeRelay.USE.deleteSql())) {
                explain.setArray(1, c.createArrayOf("text", locations.toArray()));
                explain.setArray(2, c.createArrayOf("bigint", seqs.toArray()));
                try (var rs = explain.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).contains("\"Tid Scan\"").doesNotContain("Seq Scan");
                }
            }
            c.rollback();
        }
    }

    @Test
    void theRelayVacuumsItsOutboxAfterEnoughDeletedRows() throws Exception {
        // an outbox is a queue: the relay vacuums it itself every feed.relay.vacuum-every (2 000) rows
        // it deleted, rather than leave every round stepping over dead rows until autovacuum comes
        long before = TestDb.number(dataSource, MANUAL_VACUUMS);
        String tenant = "vacuum-" + UUID.randomUUID().toString().substring(0, 8);
        appendInOneTransaction(tenant, 2_500);
        await().atMost(Duration.ofSeconds(60)).until(
                () -> TestDb.number(dataSource, "SELECT count(*) FROM change_outbox WHERE tenant_id = ?", tenant) == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> TestDb.number(dataSource, MANUAL_VACUUMS) > before);
    }

    /** Vacuums of change_outbox that were asked for (autovacuum counts apart). */
    private static final String MANUAL_VACUUMS = "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'change_outbox'";

    private static int delete(Connection c, List<String> locations, List<Long> ids) throws java.sql.SQLException {
        try (var delete = c.prepareStatement(ChangeRelay.USE.deleteSql())) {
            delete.setArray(1, c.createArrayOf("text", locations.toArray()));
            delete.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            return delete.executeUpdate();
        }
    }

    private void appendInOneTransaction(String tenant, int count) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                TenantLog.Appender log = tenantLog.lock(c, tenant);
                for (int i = 0; i < count; i++) {
                    log.add(new TenantLog.Entry(FeedEvents.TILE_CREATED, UUID.randomUUID(), null, null,
                            List.of("badge_earned"), Instant.now(), null));
                }
                log.flush();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "relay-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    }
}
