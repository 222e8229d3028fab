package com.activityfeed.feed.ingest;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class RawEventConsumerTest {
    @Test
    void eventsFromKafkaAreGroupedAndAPoisonMessageGoesToTheDlqWhileTheRestCarriesOn() throws Exception {
        String tenant = TestEvents.tenant("consume");
        Instant t0 = Instant.now().minusSeconds(60);
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(TestEvents.event(tenant, "streak_milestone", t0.plusSeconds(i)).build());
        }
        String poison = "{\"v\":1,\"tenantId\":\"" + tenant + "\",\"not\":\"an event\"}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, MessageCodec.write(events.get(0)))).get();
            producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, poison)).get();
            for (RawEvent e : events.subList(1, 5)) {
                producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, MessageCodec.write(e))).get();
            }
            // a redelivery of an event already stored changes nothing
            producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, MessageCodec.write(events.get(2)))).get();
        }
        String token = TestTokens.reader(tenant, "u");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(token).when()
                .get("/api/v1/feed").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(1))
                .body("items[0].count", org.hamcrest.Matchers.equalTo(5)));

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.dlq(Topics.ACTIVITY_RAW)));
            List<ConsumerRecord<String, String>> mine = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenant.equals(r.key())) {
                        mine.add(r);
                    }
                });
                return !mine.isEmpty();
            });
            assertThat(mine).hasSize(1);
            assertThat(mine.getFirst().value()).isEqualTo(poison);
            assertThat(new String(mine.getFirst().headers().lastHeader(Topics.HEADER_ERROR).value(), StandardCharsets.UTF_8))
                    .contains("RawEvent needs id");
            assertThat(new String(mine.getFirst().headers().lastHeader(Topics.HEADER_ORIGINAL_TOPIC).value(),
                    StandardCharsets.UTF_8)).isEqualTo(Topics.ACTIVITY_RAW);
        }
    }
}
