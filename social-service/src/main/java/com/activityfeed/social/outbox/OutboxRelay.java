package com.activityfeed.social.outbox;

import com.activityfeed.messages.Topics;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the outbox to {@code social.updates} (key = tenant) in position order with an
 * idempotent acks=all producer, and deletes rows only once Kafka acknowledged them. Woken after
 * each commit that wrote to the outbox, polling as a fallback. One replica relays at a time (a
 * PostgreSQL advisory lock) so order holds across replicas. A crash after the send and before the
 * delete sends the rows again: feed-service is idempotent on the update id.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long LOCK_KEY = 0x6166702d736f63L; // "afp-soc"

    private final AgroalDataSource dataSource;
    private final Map<String, Object> kafkaConfig;
    private final OutboxConfig config;
    private final Counter relayed;
    private final AtomicLong pending = new AtomicLong();
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private KafkaProducer<String, String> producer;
    private Thread thread;

    public OutboxRelay(AgroalDataSource dataSource,
                       @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                       OutboxConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.kafkaConfig = kafkaConfig;
        this.config = config;
        this.relayed = Counter.builder("social.updates.relayed").description("updates published to social.updates")
                .register(registry);
        Gauge.builder("social.outbox.pending", pending, AtomicLong::get)
                .description("rows seen in the outbox at the relay's last look").register(registry);
    }

    void start(@Observes StartupEvent event) {
        Map<String, Object> producerConfig = new HashMap<>(kafkaConfig);
        producerConfig.keySet().removeIf(k -> !ProducerConfig.configNames().contains(k));
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(producerConfig);
        running = true;
        thread = new Thread(this::loop, "social-outbox-relay");
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
                wakeUps.tryAcquire(backoffMillis > 0 ? backoffMillis : config.pollInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
                int sent;
                do {
                    sent = relayBatch();
                } while (running && sent == config.batchSize());
                backoffMillis = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                backoffMillis = Math.min(Math.max(backoffMillis * 2, 250), 5000);
                LOG.warnf("relaying social updates failed, retrying in %d ms: %s", backoffMillis, e.toString());
            }
        }
    }

    /** Sends one batch of the outbox in order; returns how many updates it sent. */
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
                List<Long> positions = new ArrayList<>();
                List<ProducerRecord<String, String>> records = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT position, tenant_id, message FROM outbox ORDER BY position LIMIT ?")) {
                    ps.setInt(1, config.batchSize());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            positions.add(rs.getLong(1));
                            records.add(new ProducerRecord<>(Topics.SOCIAL_UPDATES, rs.getString(2), rs.getString(3)));
                        }
                    }
                }
                pending.set(positions.size());
                if (positions.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                List<Future<?>> acks = new ArrayList<>(records.size());
                for (ProducerRecord<String, String> record : records) {
                    acks.add(producer.send(record));
                }
                for (Future<?> ack : acks) {
                    ack.get(15, TimeUnit.SECONDS);
                }
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE position = ANY (?)")) {
                    delete.setArray(1, c.createArrayOf("bigint", positions.toArray()));
                    delete.executeUpdate();
                }
                c.commit();
                relayed.increment(positions.size());
                return positions.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
