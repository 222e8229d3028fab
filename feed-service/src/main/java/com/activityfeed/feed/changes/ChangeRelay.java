package com.activityfeed.feed.changes;

import com.activityfeed.messages.Topics;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the change outbox to {@code feed.changes} in per-tenant sequence order. Woken right
 * after a commit that appended changes, and polling as a fallback (changes of a crashed replica,
 * a broker that was down). One replica relays at a time (a PostgreSQL advisory lock), so order
 * holds across replicas. A change is deleted from the outbox only after Kafka acknowledged it;
 * a crash in between sends it again, and consumers ignore sequence numbers they have seen.
 */
@ApplicationScoped
public class ChangeRelay {
    private static final Logger LOG = Logger.getLogger(ChangeRelay.class);
    private static final long LOCK_KEY = 0x6166702d72656cL; // "afp-rel"
    private static final int BATCH = 500;

    private final AgroalDataSource dataSource;
    private final Map<String, Object> kafkaConfig;
    private final Duration pollInterval;
    private final Counter relayed;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private KafkaProducer<String, String> producer;
    private Thread thread;

    public ChangeRelay(AgroalDataSource dataSource,
                       @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                       @ConfigProperty(name = "feed.relay.poll-interval", defaultValue = "200ms") Duration pollInterval,
                       MeterRegistry registry) {
        this.dataSource = dataSource;
        this.kafkaConfig = kafkaConfig;
        this.pollInterval = pollInterval;
        this.relayed = Counter.builder("feed.changes.relayed").description("changes published to feed.changes")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.keySet().removeIf(k -> !ProducerConfig.configNames().contains(k));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(config);
        running = true;
        thread = new Thread(this::loop, "feed-change-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the relay to look at the outbox now. */
    public void wake() {
        wakeUps.release();
    }

    private void loop() {
        long backoffMillis = 0;
        while (running) {
            try {
                wakeUps.tryAcquire(backoffMillis > 0 ? backoffMillis : pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
                int sent;
                do {
                    sent = relayBatch();
                } while (running && sent == BATCH);
                backoffMillis = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                backoffMillis = Math.min(Math.max(backoffMillis * 2, 250), 5000);
                LOG.warnf("relaying feed changes failed, retrying in %d ms: %s", backoffMillis, e.toString());
            }
        }
    }

    /** Sends one batch of the outbox in order; returns how many changes it sent. */
    int relayBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                    lock.setLong(1, LOCK_KEY);
                    try (ResultSet rs = lock.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            c.rollback();
                            return 0;
                        }
                    }
                }
                List<String[]> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT o.tenant_id, o.seq, l.message FROM change_outbox o
                        JOIN change_log l ON l.tenant_id = o.tenant_id AND l.seq = o.seq
                        ORDER BY o.tenant_id, o.seq LIMIT ?""")) {
                    ps.setInt(1, BATCH);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new String[]{rs.getString(1), Long.toString(rs.getLong(2)), rs.getString(3)});
                        }
                    }
                }
                if (rows.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                List<Future<?>> acks = new ArrayList<>(rows.size());
                for (String[] row : rows) {
                    acks.add(producer.send(new ProducerRecord<>(Topics.FEED_CHANGES, row[0], row[2])));
                }
                for (Future<?> ack : acks) {
                    ack.get(15, TimeUnit.SECONDS);
                }
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM change_outbox WHERE tenant_id = ? AND seq = ?")) {
                    for (String[] row : rows) {
                        delete.setString(1, row[0]);
                        delete.setLong(2, Long.parseLong(row[1]));
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
                c.commit();
                relayed.increment(rows.size());
                return rows.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
