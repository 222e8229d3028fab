package com.activityfeed.bench.feed;

import com.activityfeed.bench.LoadAverage;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.PostgresServer;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.cfg.Configuration;
import org.hibernate.type.SqlTypes;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Issue 16's question for the feed's hot write path: would Hibernate ORM (a {@link StatelessSession}
 * with JDBC batching, the cheapest way it writes) store the consumer's event rows as fast as the
 * JDBC statement the consumer uses (one {@code INSERT … SELECT FROM unnest(arrays)} per batch)?
 * The feed's own schema (its Flyway migrations, run by starting the packaged feed-service once),
 * batches of 2 000 rows in one transaction each, as the consumer's polls; the two ways take turns,
 * each on fresh ids, after one warm-up round each. Prints events/s per round and what the
 * difference would cost the consumer: P5's time per event is about 400 µs (2 500 events/s), so a
 * difference above 60 µs per event is more than 15 % of P5.
 * Arguments: [events per round, default 20000] [rounds, default 3].
 */
public final class HotPathPersistenceBench {
    private static final int BATCH = 2_000;

    /** The feed's {@code event} row as Hibernate would write it ({@code pos}, {@code stored_at}, {@code expired}: defaults). */
    @Entity
    @Table(name = "event")
    public static class EventRow {
        @Id
        UUID id;
        @Column(name = "tenant_id") String tenantId;
        String type;
        String source;
        String priority;
        @Column(name = "actor_id") String actorId;
        @Column(name = "actor_name") String actorName;
        @Column(name = "entity_type") String entityType;
        @Column(name = "entity_id") String entityId;
        @Column(name = "entity_name") String entityName;
        @JdbcTypeCode(SqlTypes.ARRAY) String[] tags;
        @Column(name = "occurred_at") Instant occurredAt;
        @Column(name = "received_at") Instant receivedAt;
        @Column(name = "expires_at") Instant expiresAt;
        @Column(name = "tile_id") UUID tileId;
        @ColumnTransformer(write = "?::jsonb") String body;

        public EventRow() {
        }
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Infra infra = Infra.shared();
        // the feed's schema, as its migrations make it
        Map<String, String> env = ServiceProcess.environment(infra, "feed", TestTokens.SECRET);
        try (ServiceProcess feed = ServiceProcess.start("feed-service", Ports.free(), env,
                Infra.root().resolve("benchmarks/target/service-logs"))) {
            System.out.printf("feed schema ready (%s)%n", feed.url("/"));
        }
        String url = infra.jdbcUrl("feed");
        Configuration configuration = new Configuration().addAnnotatedClass(EventRow.class);
        configuration.setProperty("hibernate.connection.url", url);
        configuration.setProperty("hibernate.connection.username", PostgresServer.USER);
        configuration.setProperty("hibernate.connection.password", "");
        configuration.setProperty("hibernate.connection.pool_size", "2");
        configuration.setProperty("hibernate.jdbc.batch_size", Integer.toString(BATCH));
        configuration.setProperty("hibernate.order_inserts", "true");
        configuration.setProperty("hibernate.hbm2ddl.auto", "none");
        configuration.setProperty("hibernate.show_sql", "false");
        List<Double> jdbcRates = new ArrayList<>();
        List<Double> hibernateRates = new ArrayList<>();
        try (SessionFactory factory = configuration.buildSessionFactory();
             Connection connection = DriverManager.getConnection(url, PostgresServer.USER, "")) {
            connection.setAutoCommit(false);
            for (int round = 0; round <= rounds; round++) {
                List<EventRow> jdbcRows = rows(events);
                double jdbc = jdbcRound(connection, jdbcRows);
                stored(connection, jdbcRows);
                List<EventRow> hibernateRows = rows(events);
                double hibernate = hibernateRound(factory, hibernateRows);
                stored(connection, hibernateRows);
                String label = round == 0 ? "warm-up" : "round " + round;
                System.out.printf("%-8s JDBC unnest %,8.0f events/s   Hibernate StatelessSession %,8.0f events/s   [%s]%n",
                        label, jdbc, hibernate, LoadAverage.now());
                if (round > 0) {
                    jdbcRates.add(jdbc);
                    hibernateRates.add(hibernate);
                }
            }
        }
        double jdbc = median(jdbcRates);
        double hibernate = median(hibernateRates);
        double extraMicros = 1e6 / hibernate - 1e6 / jdbc;
        System.out.printf("median: JDBC %,.0f events/s (%.0f µs per event), Hibernate %,.0f events/s (%.0f µs per event): "
                        + "Hibernate %+.0f µs per event = %.0f %% of P5's 400 µs per event (the rule: JDBC may stay above 15 %%)   [%s]%n",
                jdbc, 1e6 / jdbc, hibernate, 1e6 / hibernate, extraMicros, 100 * extraMicros / 400, LoadAverage.now());
        infra.close();
    }

    private static List<EventRow> rows(int n) {
        String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        List<EventRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            EventRow row = new EventRow();
            row.id = UUID.randomUUID();
            row.tenantId = tenant;
            row.type = i % 3 == 0 ? "task_completed" : "badge_earned";
            row.source = "api";
            row.priority = "normal";
            row.actorId = "actor-" + (i % 500);
            row.actorName = "Actor " + (i % 500);
            row.entityType = "project";
            row.entityId = "p-" + (i % 5000);
            row.entityName = "Project " + (i % 5000);
            row.tags = new String[]{"sprint:" + (i % 40), "team:core"};
            row.occurredAt = now.minusMillis(n - i);
            row.receivedAt = now;
            row.tileId = UUID.randomUUID();
            // about the size of a stored event body (the RawEvent message)
            row.body = "{\"v\":1,\"id\":\"" + row.id + "\",\"tenantId\":\"" + tenant + "\",\"type\":\"" + row.type
                    + "\",\"title\":\"Finished task " + i + "\",\"actor\":{\"id\":\"" + row.actorId + "\",\"name\":\""
                    + row.actorName + "\"},\"entity\":{\"type\":\"project\",\"id\":\"" + row.entityId + "\",\"name\":\""
                    + row.entityName + "\"},\"tags\":[\"sprint:" + (i % 40) + "\",\"team:core\"],\"payload\":{\"points\":"
                    + (i % 13) + "}}";
            rows.add(row);
        }
        return rows;
    }

    /** The consumer's statement (GroupingPass), one per batch. */
    private static double jdbcRound(Connection c, List<EventRow> rows) throws SQLException {
        long start = System.nanoTime();
        for (int from = 0; from < rows.size(); from += BATCH) {
            List<EventRow> batch = rows.subList(from, Math.min(rows.size(), from + BATCH));
            int n = batch.size();
            Object[] ids = new Object[n];
            Object[] tileIds = new Object[n];
            String[][] text = new String[10][n];
            Timestamp[] occurred = new Timestamp[n];
            Timestamp[] received = new Timestamp[n];
            Timestamp[] expires = new Timestamp[n];
            for (int i = 0; i < n; i++) {
                EventRow e = batch.get(i);
                ids[i] = e.id;
                tileIds[i] = e.tileId;
                text[0][i] = e.type;
                text[1][i] = e.source;
                text[2][i] = e.priority;
                text[3][i] = e.actorId;
                text[4][i] = e.actorName;
                text[5][i] = e.entityType;
                text[6][i] = e.entityId;
                text[7][i] = e.entityName;
                text[8][i] = arrayLiteral(e.tags);
                text[9][i] = e.body;
                occurred[i] = Timestamp.from(e.occurredAt);
                received[i] = Timestamp.from(e.receivedAt);
                expires[i] = e.expiresAt == null ? null : Timestamp.from(e.expiresAt);
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO event (id, tenant_id, type, source, priority, actor_id, actor_name, entity_type,
                                       entity_id, entity_name, tags, occurred_at, received_at, expires_at, tile_id, body)
                    SELECT u.id, ?, u.type, u.source, u.priority, u.actor_id, u.actor_name, u.entity_type, u.entity_id,
                           u.entity_name, u.tags::text[], u.occurred_at, u.received_at, u.expires_at, u.tile_id, u.body::jsonb
                    FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::uuid[],
                                ?::text[])
                         WITH ORDINALITY AS u(id, type, source, priority, actor_id, actor_name, entity_type, entity_id,
                                              entity_name, tags, occurred_at, received_at, expires_at, tile_id, body, ord)
                    ORDER BY u.ord
                    ON CONFLICT (id) DO NOTHING""")) {
                ps.setString(1, batch.getFirst().tenantId);
                ps.setArray(2, c.createArrayOf("uuid", ids));
                for (int k = 0; k < 8; k++) {
                    ps.setArray(3 + k, c.createArrayOf("text", text[k]));
                }
                ps.setArray(11, c.createArrayOf("text", text[8]));
                ps.setArray(12, c.createArrayOf("timestamptz", occurred));
                ps.setArray(13, c.createArrayOf("timestamptz", received));
                ps.setArray(14, c.createArrayOf("timestamptz", expires));
                ps.setArray(15, c.createArrayOf("uuid", tileIds));
                ps.setArray(16, c.createArrayOf("text", text[9]));
                ps.executeUpdate();
            }
            c.commit();
        }
        return rows.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Hibernate's cheapest way: a stateless session, JDBC batches of {@link #BATCH}, one transaction per batch. */
    private static double hibernateRound(SessionFactory factory, List<EventRow> rows) {
        long start = System.nanoTime();
        try (StatelessSession session = factory.openStatelessSession()) {
            session.setJdbcBatchSize(BATCH);
            for (int from = 0; from < rows.size(); from += BATCH) {
                Transaction tx = session.beginTransaction();
                for (EventRow row : rows.subList(from, Math.min(rows.size(), from + BATCH))) {
                    session.insert(row);
                }
                tx.commit();
            }
        }
        return rows.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Checks that every row of the round is in the table, so a way that stores nothing cannot look fast. */
    private static void stored(Connection c, List<EventRow> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), count(*) FILTER (WHERE body->>'id' = id::text AND cardinality(tags) = 2) FROM event WHERE tenant_id = ?")) {
            ps.setString(1, rows.getFirst().tenantId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) != rows.size() || rs.getLong(2) != rows.size()) {
                    throw new IllegalStateException("expected " + rows.size() + " complete rows, found " + rs.getLong(1)
                            + " (" + rs.getLong(2) + " complete)");
                }
            }
        }
        c.commit();
    }

    /** A PostgreSQL array literal of plain words (the benchmark's tags need no quoting). */
    private static String arrayLiteral(String[] values) {
        return "{" + String.join(",", Arrays.asList(values)) + "}";
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    private HotPathPersistenceBench() {
    }
}
