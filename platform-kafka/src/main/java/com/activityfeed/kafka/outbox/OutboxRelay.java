package com.activityfeed.kafka.outbox;

import com.activityfeed.kafka.HopLatency;
import com.activityfeed.kafka.KafkaProducers;
import com.activityfeed.kafka.tracing.KafkaTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes a transactional outbox table to a Kafka topic, the one relay of the platform (feed:
 * change log to {@code feed.changes}; social: updates to {@code social.updates}).
 *
 * <ul>
 * <li>Woken right after a commit that wrote to the outbox ({@link #wakeAfterCommit}), and looking by
 * itself every {@link RelayConfig#pollInterval()} only as a fallback (rows of a replica that crashed,
 * a broker that was down).</li>
 * <li>One replica relays at a time: a PostgreSQL advisory lock held for the round, so per-key order
 * holds across replicas. A replica that was woken waits for the lock (at most a poll interval)
 * rather than giving up, so its own commit goes out right after the current round.</li>
 * <li>Rows are deleted only after Kafka acknowledged them; a crash in between sends them again and
 * consumers ignore what they have seen.</li>
 * <li>A round interleaves keys (tenants), so one tenant's backlog does not delay another tenant.</li>
 * <li>Any failure (database, broker) is retried with capped back-off for as long as it lasts.</li>
 * <li>A row written with a trace context ({@code traceparent} column: the span that committed it) is
 * sent under a {@code send <topic>} span, child of that context, whose own context goes in the
 * record's {@code traceparent} header ({@link KafkaTracing}); a row without one is sent untraced.</li>
 * </ul>
 */
public final class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /**
     * What one relay publishes.
     *
     * @param name       thread name and log prefix
     * @param topic      the Kafka topic; the record key is the row's key (the tenant)
     * @param lockKey    the advisory lock that makes one replica the relay
     * @param selectSql  the next rows, fair across keys, each key's rows in order. Parameters: the
     *                   per-key share, the batch size. Columns: key (text), id (bigint), message
     *                   (text), appended at (timestamptz, may be null), traceparent (text, may be null),
     *                   the row's location ({@code ctid::text})
     * @param deleteSql  deletes relayed rows. Parameters: their locations (text[] of ctids) and ids
     *                   (bigint[]). By location: a TID scan touches only those rows, where a join on
     *                   the keys was planned as a scan of the whole table, and an outbox table is
     *                   mostly dead rows between two vacuums (9 ms per delete under load, against
     *                   0.1 ms). The locations hold: the rows were read in the same transaction, under
     *                   the relay's lock, and nothing else updates or deletes them; the ids guard it.
     * @param table      the outbox table, which the relay vacuums itself every
     *                   {@link RelayConfig#vacuumEvery()} rows it deleted
     * @param relayedMetric counter of rows published
     * @param pendingMetric gauge of rows seen at the last look
     * @param hop        the {@link HopLatency} hop recorded from a row's appended-at to its Kafka
     *                   acknowledgement, or null for none
     */
    public record Use(String name, String topic, long lockKey, String selectSql, String deleteSql, String table,
                      String relayedMetric, String pendingMetric, String hop) {
    }

    private record Row(String key, long id, String message, Timestamp appendedAt, String traceparent, String location) {
    }

    private final Use use;
    private final RelayConfig config;
    private final DataSource dataSource;
    private final KafkaProducers producers;
    private final Counter relayed;
    private final Counter roundsSent;
    private final Counter roundsEmpty;
    private final Counter roundsNotLeader;
    private final Timer hopTimer;
    private final Tracer tracer;
    private final AtomicLong pending = new AtomicLong();
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private long deletedSinceVacuum;
    /**
     * The last round may have left rows behind: it was full, or some key reached its share. After
     * a round that was not, the outbox held nothing more when it was read, and anything committed
     * since has woken the relay (the wake-up comes after the commit, the read before it), so the
     * relay waits instead of spending a round (four statements) to find it empty.
     */
    private boolean roundLeftRows;
    private KafkaProducer<String, String> producer;
    private Thread thread;

    public OutboxRelay(Use use, RelayConfig config, DataSource dataSource, KafkaProducers producers,
                       MeterRegistry registry) {
        this(use, config, dataSource, producers, registry, OpenTelemetry.noop());
    }

    public OutboxRelay(Use use, RelayConfig config, DataSource dataSource, KafkaProducers producers,
                       MeterRegistry registry, OpenTelemetry telemetry) {
        this.use = use;
        this.tracer = telemetry.getTracer(KafkaTracing.SCOPE);
        this.config = config;
        this.dataSource = dataSource;
        this.producers = producers;
        this.relayed = Counter.builder(use.relayedMetric()).description("outbox rows published to " + use.topic())
                .register(registry);
        roundsSent = rounds(registry, "sent");
        roundsEmpty = rounds(registry, "empty");
        roundsNotLeader = rounds(registry, "not_leader");
        Gauge.builder(use.pendingMetric(), pending, AtomicLong::get)
                .description("outbox rows seen at the relay's last look (at most one round)").register(registry);
        this.hopTimer = use.hop() == null ? null : HopLatency.timer(registry, use.hop());
    }

    /** Rounds by result: rows sent, nothing found, or another replica held the relay's lock. */
    private Counter rounds(MeterRegistry registry, String result) {
        return Counter.builder("outbox.relay.rounds").description("relay rounds, by result")
                .tag("relay", use.name()).tag("result", result).register(registry);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        producer = producers.create(KafkaProducers.Options.of(use.name(), config.sendTimeout()));
        running = true;
        thread = new Thread(this::loop, use.name());
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        wake();
        try {
            thread.join(config.sendTimeout().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    /** Asks the relay to look at the outbox now. */
    public void wake() {
        wakeUps.release();
    }

    /**
     * Wakes the relay once the current transaction has committed (never before: the rows would not
     * be visible yet; never after a rollback). Registered once per transaction however often called.
     */
    public void wakeAfterCommit(TransactionSynchronizationRegistry transactions) {
        AfterCommit.once(transactions, this, this::wake);
    }

    private void loop() {
        long backoffMillis = 0;
        while (running) {
            try {
                wakeUps.tryAcquire(backoffMillis > 0 ? backoffMillis : config.pollInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
                while (running && relayOnce() > 0 && roundLeftRows) {
                    // a full outbox drains round after round without waiting for a wake-up
                }
                backoffMillis = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                backoffMillis = Math.min(Math.max(backoffMillis * 2, 100), config.maxBackoff().toMillis());
                LOG.warnf("%s: relaying to %s failed, retrying in %d ms: %s", use.name(), use.topic(), backoffMillis,
                        e.toString());
            }
        }
    }

    /** Sends one round of the outbox in order; returns how many rows it sent (0 also when another replica relays). */
    public int relayOnce() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!lock(c)) {
                    c.rollback();
                    roundsNotLeader.increment();
                    return 0;
                }
                int share = Math.min(config.perTenantShare(), config.batchSize());
                List<Row> rows = next(c, share);
                pending.set(rows.size());
                roundLeftRows = rows.size() >= config.batchSize() || someKeyReached(rows, share);
                if (rows.isEmpty()) {
                    c.rollback();
                    roundsEmpty.increment();
                    return 0;
                }
                List<Future<?>> acks = new ArrayList<>(rows.size());
                List<Span> spans = null; // only rows that carry a trace context get one
                try {
                    for (Row row : rows) {
                        ProducerRecord<String, String> record = new ProducerRecord<>(use.topic(), row.key(), row.message());
                        var parent = KafkaTracing.parse(row.traceparent());
                        if (parent != null) {
                            Span span = KafkaTracing.startSend(tracer, use.topic(), row.key(), parent);
                            KafkaTracing.inject(span.getSpanContext(), record.headers());
                            if (spans == null) {
                                spans = new ArrayList<>();
                            }
                            spans.add(span);
                        }
                        acks.add(producer.send(record));
                    }
                    long deadline = System.nanoTime() + config.sendTimeout().toNanos();
                    for (Future<?> ack : acks) {
                        ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    }
                } catch (Exception e) {
                    endAll(spans, e);
                    throw e;
                }
                endAll(spans, null);
                if (hopTimer != null) {
                    for (Row row : rows) {
                        if (row.appendedAt() != null) {
                            HopLatency.recordSince(hopTimer, row.appendedAt().getTime());
                        }
                    }
                }
                delete(c, rows);
                c.commit();
                relayed.increment(rows.size());
                roundsSent.increment();
                deletedSinceVacuum += rows.size();
                if (config.vacuumEvery() > 0 && deletedSinceVacuum >= config.vacuumEvery()) {
                    deletedSinceVacuum = 0;
                    vacuum(c);
                }
                return rows.size();
            } catch (Exception e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    /** Waits for the relay lock at most a poll interval: the holder's round usually ends well before. */
    private boolean lock(Connection c) throws SQLException {
        // one round trip: the timeout is set (for this transaction) before the lock is asked for
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT set_config('lock_timeout', ?, true), pg_advisory_xact_lock(?)")) {
            lock.setString(1, Math.max(1, config.pollInterval().toMillis()) + "ms");
            lock.setLong(2, use.lockKey());
            lock.execute();
            return true;
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private List<Row> next(Connection c, int share) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(use.selectSql())) {
            ps.setInt(1, share);
            ps.setInt(2, config.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
        }
        return rows;
    }

    /** Whether some key has {@code share} rows in the round: it may have more waiting. */
    private static boolean someKeyReached(List<Row> rows, int share) {
        Map<String, Integer> perKey = new HashMap<>();
        for (Row row : rows) {
            if (perKey.merge(row.key(), 1, Integer::sum) >= share) {
                return true;
            }
        }
        return false;
    }

    private void delete(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(use.deleteSql())) {
            ps.setArray(1, c.createArrayOf("text", rows.stream().map(Row::location).toArray()));
            ps.setArray(2, c.createArrayOf("bigint", rows.stream().map(Row::id).toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Vacuums the outbox table, outside any transaction. A failure is logged, not retried: the rows
     * are published and deleted, and autovacuum still comes by.
     */
    private void vacuum(Connection c) {
        long start = System.nanoTime();
        try {
            c.setAutoCommit(true);
            try (var statement = c.createStatement()) {
                statement.execute("VACUUM (SKIP_LOCKED) " + use.table());
            }
            LOG.debugf("%s: vacuumed %s in %d ms", use.name(), use.table(), (System.nanoTime() - start) / 1_000_000);
        } catch (SQLException e) {
            LOG.warnf("%s: could not vacuum %s (autovacuum still will): %s", use.name(), use.table(), e.toString());
        }
    }

    /** Ends the round's send spans once Kafka acknowledged the round (or failed it). */
    private static void endAll(List<Span> spans, Exception failure) {
        if (spans == null) {
            return;
        }
        for (Span span : spans) {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, failure.toString());
            }
            span.end();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debugf("rollback after a failed relay round failed too: %s", e.toString());
        }
    }
}
