package com.activityfeed.social.tracing;

import com.activityfeed.messages.Topics;
import com.activityfeed.social.Fixtures;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.InfraTestResource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static com.activityfeed.social.Fixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A social request's trace reaches {@code social.updates}: the request's server span (continuing
 * the caller's {@code traceparent}) is kept with the outbox row, the relay sends the update under
 * its child span, and the record's {@code traceparent} header names that send span for the feed.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "social"))
class SocialTracingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    SpanCollector spans;

    @Test
    void aReactionsTraceGoesFromTheRequestThroughTheOutboxToTheRecordHeader() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String callerSpan = "00f067aa0ba902b7";
        as(tenant, "grace").header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .put("/api/v1/tiles/{tileId}/reactions/{type}", tile, "hype").then().statusCode(200);

        ConsumerRecord<String, String> record = update(tenant);
        String header = new String(record.headers().lastHeader(Topics.HEADER_TRACEPARENT).value(), StandardCharsets.US_ASCII);
        assertThat(header).startsWith("00-" + traceId + "-").endsWith("-01");
        String sendSpanId = header.split("-")[2];

        SpanData send = await().atMost(WAIT).until(() -> span(traceId, "send " + Topics.SOCIAL_UPDATES), Optional::isPresent).get();
        SpanData request = await().atMost(WAIT).until(() -> spans.trace(traceId).stream()
                .filter(s -> s.getKind() == SpanKind.SERVER).findFirst(), Optional::isPresent).get();
        assertThat(request.getParentSpanId()).isEqualTo(callerSpan);
        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(send.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(send.getSpanId()).isEqualTo(sendSpanId);
        assertThat(send.getAttributes().get(AttributeKey.stringKey("messaging.kafka.message.key"))).isEqualTo(tenant);
    }

    @Test
    void anUntracedRequestStillStartsATraceOfItsOwn() {
        String tenant = Fixtures.tenant();
        UUID tile = Fixtures.tile(tenant, "ada");
        as(tenant, "grace").put("/api/v1/tiles/{tileId}/reactions/{type}", tile, "respect").then().statusCode(200);
        String header = new String(update(tenant).headers().lastHeader(Topics.HEADER_TRACEPARENT).value(),
                StandardCharsets.US_ASCII);
        // sampled (bit 0); the SDK may also set the W3C "random trace id" bit
        assertThat(header).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]");
    }

    private Optional<SpanData> span(String traceId, String name) {
        return spans.trace(traceId).stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    /** The first social.updates record of the tenant, with its headers. */
    private static ConsumerRecord<String, String> update(String tenant) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "social-trace-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.SOCIAL_UPDATES));
            AtomicReference<ConsumerRecord<String, String>> found = new AtomicReference<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenant.equals(r.key()) && found.get() == null) {
                        found.set(r);
                    }
                });
                return found.get() != null;
            });
            return found.get();
        }
    }
}
