package com.activityfeed.testsupport.infra;

import com.activityfeed.messages.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The outage tools later tests rely on: stop and start the broker and the database on the same ports and data. */
class InfraRestartTest {
    private final Infra infra = Infra.shared();

    @Test
    void everySystemTopicExistsWithSeveralPartitions() throws Exception {
        try (var admin = infra.kafka().admin()) {
            var topics = admin.describeTopics(Topics.ALL).allTopicNames().get();
            assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(KafkaBroker.PARTITIONS));
        }
    }

    @Test
    void brokerRestartsOnTheSamePortWithItsData() {
        String key = "tenant-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW + Topics.DLQ_SUFFIX, key, "before")).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        int port = infra.kafka().port();

        infra.kafka().stop();
        assertThat(Ports.listening(port)).isFalse();
        infra.kafka().start();

        assertThat(infra.kafka().port()).isEqualTo(port);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restart-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.ACTIVITY_RAW + Topics.DLQ_SUFFIX));
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        values.add(r.value());
                    }
                }
                return !values.isEmpty();
            });
            assertThat(values).containsExactly("before");
        }
    }

    @Test
    void postgresRestartsAndRecoversAfterAKill() throws Exception {
        String url = infra.jdbcUrl("feed");
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS restart_probe (v text)");
            s.execute("INSERT INTO restart_probe VALUES ('kept')");
        }

        infra.postgres().stop();
        assertThat(Ports.listening(infra.postgres().port())).isFalse();
        infra.postgres().start();
        infra.postgres().kill();
        infra.postgres().start();

        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM restart_probe WHERE v = 'kept'")) {
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
        }
    }
}
