package com.activityfeed.bench.floor;

import com.activityfeed.bench.LoadAverage;
import com.activityfeed.bench.Percentiles;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.PostgresServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The PostgreSQL floor: one row shaped like the feed's {@code event} row (same columns, indexes
 * and constraints: {@code CREATE TABLE ... (LIKE event INCLUDING INDEXES INCLUDING CONSTRAINTS)}),
 * inserted and committed per event at a fixed open-loop rate, on the feed's own database and
 * server, over 16 connections. Time runs from the moment the row was due to its commit.
 */
public final class PostgresFloor {
    /** Enough that the rate never waits for a free connection: the floor is one commit, not a queue. */
    private static final int CONNECTIONS = 16;

    private PostgresFloor() {
    }

    /** Requires the feed's schema (feed-service has started once against {@code infra}). */
    public static void run(Infra infra, int rate, int seconds, String bodyJson) throws Exception {
        int total = rate * seconds;
        long[] latency = new long[total];
        String url = infra.jdbcUrl("feed");
        try (Connection setup = DriverManager.getConnection(url, PostgresServer.USER, "");
             Statement s = setup.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_floor_event");
            s.execute("CREATE TABLE bench_floor_event (LIKE event INCLUDING INDEXES INCLUDING CONSTRAINTS)");
        }
        BlockingQueue<long[]> due = new ArrayBlockingQueue<>(total + 1);
        AtomicLong positions = new AtomicLong();
        Thread[] workers = new Thread[CONNECTIONS];
        for (int w = 0; w < CONNECTIONS; w++) {
            workers[w] = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "")) {
                    c.setAutoCommit(false);
                    PreparedStatement insert = c.prepareStatement("""
                            INSERT INTO bench_floor_event (pos, id, tenant_id, type, source, priority, actor_id, actor_name,
                              entity_type, entity_id, entity_name, tags, occurred_at, received_at, stored_at, expires_at,
                              tile_id, expired, body)
                            VALUES (?, ?, 'bench-floor', 'bench_tick', 'api', 'high', 'ada', 'Ada', 'task', ?, 'A task',
                              '{team:platform,sprint:42}', ?, ?, now(), NULL, ?, false, ?::jsonb)""");
                    while (true) {
                        long[] item = due.take();
                        if (item[0] < 0) {
                            return;
                        }
                        Timestamp now = Timestamp.from(Instant.now());
                        UUID id = UUID.randomUUID();
                        insert.setLong(1, positions.incrementAndGet());
                        insert.setObject(2, id);
                        insert.setString(3, "task-" + item[0]);
                        insert.setTimestamp(4, now);
                        insert.setTimestamp(5, now);
                        insert.setObject(6, id);
                        insert.setString(7, bodyJson);
                        insert.executeUpdate();
                        c.commit();
                        latency[(int) item[0]] = Math.max(1, System.nanoTime() - item[1]);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "pg-floor-" + w);
            workers[w].start();
        }
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long period = 1_000_000_000L / rate;
        for (int n = 0; n < total; n++) {
            long at = start + n * period;
            long wait;
            while ((wait = at - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            due.add(new long[]{n, at});
        }
        for (int w = 0; w < CONNECTIONS; w++) {
            due.add(new long[]{-1, 0});
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.MINUTES.toMillis(2));
        }
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_floor_event");
        }
        long[] done = Arrays.stream(latency).filter(v -> v > 0).toArray();
        System.out.printf("  PostgreSQL insert+commit of one event row at %d/s for %d s (%d connections, the feed's server)   [%s]%n",
                rate, seconds, CONNECTIONS, LoadAverage.now());
        System.out.printf("    due -> committed: %s, not committed: %d%n", Percentiles.ofNanos(done), total - done.length);
    }
}
