package com.activityfeed.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place that decides how this platform produces to Kafka: every record is acknowledged by
 * all in-sync replicas (acks=all) through an idempotent producer, so a retry inside the client never
 * duplicates or reorders a partition; keys and values are strings; nothing waits longer than the
 * caller's timeout. Batching is tuned for latency: {@code linger.ms} 0 by default (a record leaves
 * as soon as the sender thread is free) and a 64 KiB batch, so batches form by themselves under load
 * while earlier requests are in flight, and cost nothing when idle. Connection settings come from
 * Quarkus' {@code default-kafka-broker} map ({@code kafka.*} properties), so a cluster's security
 * settings reach every producer without further code.
 */
@ApplicationScoped
public class KafkaProducers {
    static final int BATCH_BYTES = 64 * 1024;

    private final Map<String, Object> brokerConfig;

    public KafkaProducers(@Identifier("default-kafka-broker") Map<String, Object> brokerConfig) {
        this.brokerConfig = brokerConfig;
    }

    /**
     * What differs between uses: a name for the broker's logs, how long a send may take, extra
     * batching, and for a transactional producer its {@code transactional.id} (null otherwise).
     */
    public record Options(String clientId, Duration timeout, Duration linger, String compression, String transactionalId) {
        public Options {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("a producer timeout must be positive: " + timeout);
            }
        }

        /** Latency first: no linger, no compression. */
        public static Options of(String clientId, Duration timeout) {
            return new Options(clientId, timeout, Duration.ZERO, "none", null);
        }

        public Options withLinger(Duration value) {
            return new Options(clientId, timeout, value, compression, transactionalId);
        }

        public Options withCompression(String value) {
            return new Options(clientId, timeout, linger, value, transactionalId);
        }

        /** A transactional producer; {@code null} keeps the plain idempotent one. */
        public Options withTransactionalId(String value) {
            return new Options(clientId, timeout, linger, compression, value);
        }
    }

    /** A new producer with these options; the caller closes it. */
    public KafkaProducer<String, String> create(Options options) {
        return new KafkaProducer<>(settings(brokerConfig, options));
    }

    /** Like {@link #create}, for values already serialised to bytes. */
    public KafkaProducer<String, byte[]> createBinary(Options options) {
        return new KafkaProducer<>(binarySettings(brokerConfig, options));
    }

    /** {@link #settings} with a byte-array value serializer. */
    public static Map<String, Object> binarySettings(Map<String, ?> broker, Options options) {
        Map<String, Object> config = settings(broker, options);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /**
     * The producer settings for {@code options} on the broker described by {@code broker} (keys that
     * are not producer settings, such as consumer or connector keys of the shared map, are dropped).
     */
    public static Map<String, Object> settings(Map<String, ?> broker, Options options) {
        Map<String, Object> config = new HashMap<>(broker);
        config.keySet().removeIf(k -> !ProducerConfig.configNames().contains(k));
        long timeout = options.timeout().toMillis();
        long request = Math.min(timeout, 30_000);
        long linger = options.linger().toMillis();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, options.compression());
        // a caller never blocks longer than it may wait for the answer (metadata, a full buffer)
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request);
        // the client gives up shortly after the caller did, so a record is rarely written after a failure was reported
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout + 1000, request + linger));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        if (options.transactionalId() != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, options.transactionalId());
            // What a crashed process left open blocks read_committed consumers of those partitions
            // until the broker aborts it: keep that short, but longer than any commit may take.
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) (timeout + 10_000));
        }
        if (options.clientId() != null) {
            config.put(ProducerConfig.CLIENT_ID_CONFIG, options.clientId());
        }
        return config;
    }
}
