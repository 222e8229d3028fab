package com.activityfeed.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaProducersTest {
    private static final Map<String, Object> BROKER = Map.of(
            "bootstrap.servers", "localhost:9092",
            "security.protocol", "SASL_SSL",
            "group.id", "a-consumer-setting",
            "auto.offset.reset", "earliest");

    @Test
    void everyProducerIsDurableAndIdempotentAndKeepsTheClusterSettings() {
        Map<String, Object> settings = KafkaProducers.settings(BROKER, KafkaProducers.Options.of("relay", Duration.ofSeconds(5)));

        assertThat(settings).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "relay")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
                .doesNotContainKeys("group.id", "auto.offset.reset");
    }

    @Test
    void nothingWaitsLongerThanTheCallerMay() {
        Map<String, Object> settings = KafkaProducers.settings(BROKER, KafkaProducers.Options.of("x", Duration.ofSeconds(2)));

        assertThat(settings).containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000L)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3000);
    }

    @Test
    void theDeliveryTimeoutCoversLingerAndRequestAsKafkaRequires() {
        Map<String, Object> settings = KafkaProducers.settings(BROKER, KafkaProducers.Options.of("x", Duration.ofMinutes(2))
                .withLinger(Duration.ofMillis(20)).withCompression("lz4"));

        ProducerConfig parsed = new ProducerConfig(settings);
        assertThat(parsed.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG))
                .isGreaterThanOrEqualTo(parsed.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG) + 20);
        assertThat(parsed.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).isEqualTo(30_000);
        assertThat(parsed.getLong(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(20);
        assertThat(parsed.getString(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isEqualTo("lz4");
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThatThrownBy(() -> KafkaProducers.Options.of("x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
