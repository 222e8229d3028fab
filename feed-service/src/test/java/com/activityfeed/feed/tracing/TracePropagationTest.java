package com.activityfeed.feed.tracing;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.stream.ChangeFanoutConsumer;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.ReactionCounts;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace through the feed over the real broker, database and HTTP: a record that arrives with a
 * {@code traceparent} header is processed, its change relayed on {@code feed.changes}, handed to
 * the streams and written to an open SSE stream, each step a child of the one before, all in the
 * trace of the header. Likewise for a social update.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class TracePropagationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static KafkaProducer<String, String> producer;

    @TestHTTPResource("/")
    URL base;
    @Inject
    SpanCollector spans;
    @Inject
    ChangeFanoutConsumer fanout;

    @BeforeAll
    static void connect() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    @BeforeEach
    void streaming() throws InterruptedException {
        assertThat(fanout.awaitAssigned(WAIT)).isTrue();
    }

    @Test
    void anEventsTraceGoesFromTheRecordThroughTheRelayToTheStreamWrite() throws Exception {
        String tenant = TestEvents.tenant("trace");
        RawEvent event = TestEvents.event(tenant, "badge_earned", Instant.now()).build();
        String traceId = hex(16);
        String sendSpanId = hex(8);
        try (SseClient sse = stream(tenant)) {
            sse.awaitEvent("feed.connected", WAIT);
            send(Topics.ACTIVITY_RAW, tenant, MessageCodec.write(event), "00-" + traceId + "-" + sendSpanId + "-01");
            SseClient.Event written = sse.awaitEvent(e -> e.id() != null, WAIT);

            List<SpanData> trace = chain(traceId, "process activity.raw");
            SpanData process = trace.get(0);
            assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(process.getParentSpanId()).isEqualTo(sendSpanId);
            assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
                    .isEqualTo(Topics.ACTIVITY_RAW);
            assertRelayedAndWritten(trace, process, tenant, written);
        }
    }

    @Test
    void aSocialUpdatesTraceGoesThroughTheChangeLogToTheStreamWrite() throws Exception {
        String tenant = TestEvents.tenant("trace-social");
        SocialUpdate update = new SocialUpdate(1, UUID.randomUUID(), tenant, SocialUpdate.Kind.REACTION_UPDATED,
                Instant.now(), new SocialUpdate.Reaction(UUID.randomUUID(), new ReactionCounts(1, 0, 0), "grace", "hype",
                SocialUpdate.Reaction.ADDED, List.of("hype")), null, null, null);
        String traceId = hex(16);
        String relaySpanId = hex(8);
        try (SseClient sse = stream(tenant)) {
            sse.awaitEvent("feed.connected", WAIT);
            send(Topics.SOCIAL_UPDATES, tenant, MessageCodec.write(update), "00-" + traceId + "-" + relaySpanId + "-01");
            SseClient.Event written = sse.awaitEvent(e -> e.id() != null, WAIT);

            List<SpanData> trace = chain(traceId, "process social.updates");
            SpanData process = trace.get(0);
            assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(process.getParentSpanId()).isEqualTo(relaySpanId);
            assertRelayedAndWritten(trace, process, tenant, written);
        }
    }

    @Test
    void aRecordWithoutTraceContextOpensNoTrace() throws Exception {
        String tenant = TestEvents.tenant("untraced");
        RawEvent untraced = TestEvents.event(tenant, "badge_earned", Instant.now()).build();
        RawEvent traced = TestEvents.event(tenant, "badge_earned", Instant.now()).build();
        String traceId = hex(16);
        try (SseClient sse = stream(tenant)) {
            sse.awaitEvent("feed.connected", WAIT);
            producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, MessageCodec.write(untraced))).get();
            send(Topics.ACTIVITY_RAW, tenant, MessageCodec.write(traced), "00-" + traceId + "-" + hex(8) + "-01");
            sse.awaitEvents(2, e -> e.id() != null, WAIT);
            // spans are exported in the order they end: once the later event's chain is there, any
            // span of the earlier, untraced one would be too
            chain(traceId, "process activity.raw");
            List<SpanData> ofTenant = spans.all().stream()
                    .filter(s -> tenant.equals(s.getAttributes().get(AttributeKey.stringKey("feed.tenant")))
                            || tenant.equals(s.getAttributes().get(AttributeKey.stringKey("messaging.kafka.message.key"))))
                    .toList();
            assertThat(ofTenant).hasSize(4).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));
        }
    }

    /** relay send -> fan-out process -> stream write, each the child of the one before, after {@code cause}. */
    private static void assertRelayedAndWritten(List<SpanData> trace, SpanData cause, String tenant,
                                                SseClient.Event written) {
        SpanData send = trace.get(1);
        SpanData deliver = trace.get(2);
        SpanData write = trace.get(3);
        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(send.getParentSpanId()).isEqualTo(cause.getSpanId());
        assertThat(send.getAttributes().get(AttributeKey.stringKey("messaging.kafka.message.key"))).isEqualTo(tenant);
        assertThat(deliver.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(deliver.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(deliver.getAttributes().get(AttributeKey.longKey("feed.stream.subscribers"))).isEqualTo(1L);
        assertThat(write.getParentSpanId()).isEqualTo(deliver.getSpanId());
        assertThat(write.getAttributes().get(AttributeKey.longKey("feed.change.seq"))).isEqualTo(written.seq());
        assertThat(write.getAttributes().get(AttributeKey.stringKey("feed.change.event"))).isEqualTo(written.event());
    }

    /** Waits for the four spans of the chain in the trace; returns them in chain order. */
    private List<SpanData> chain(String traceId, String first) {
        String[] names = {first, "send " + Topics.FEED_CHANGES, "process " + Topics.FEED_CHANGES, "write feed.stream"};
        return await().atMost(WAIT).until(() -> {
            List<SpanData> trace = spans.trace(traceId);
            List<SpanData> chain = new java.util.ArrayList<>();
            for (String name : names) {
                Optional<SpanData> span = trace.stream().filter(s -> s.getName().equals(name)).findFirst();
                if (span.isEmpty()) {
                    return null;
                }
                chain.add(span.get());
            }
            return chain;
        }, c -> c != null);
    }

    private SseClient stream(String tenant) {
        return SseClient.to(base.toString().replaceAll("/$", "") + "/api/v1/feed/stream")
                .bearer(TestTokens.reader(tenant, "ada")).connect();
    }

    private static void send(String topic, String key, String value, String traceparent) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(Topics.HEADER_TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
        producer.send(record).get();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros (an invalid id)
        return HexFormat.of().formatHex(random);
    }
}
