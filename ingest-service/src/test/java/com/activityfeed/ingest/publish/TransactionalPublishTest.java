package com.activityfeed.ingest.publish;

import com.activityfeed.messages.Actor;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A batch is all or nothing in Kafka: one tenant's batch that fits a record is one record of all its
 * events; any other batch is a transaction, and when one of its records cannot be published, a
 * read_committed consumer (the feed) sees none of it, while the batch published without a
 * transaction leaves its first records behind. Real broker; the failing record is one over the
 * producer's {@code max.request.size}, set low for the test (so a batch record holds at most about 3 KiB).
 */
class TransactionalPublishTest {
    private static final int MAX_REQUEST = 4096;
    private final List<EventPublisher> publishers = new ArrayList<>();

    @AfterEach
    void close() {
        publishers.forEach(EventPublisher::close);
    }

    private EventPublisher publisher(int transactionalProducers) {
        PublishConfig config = new PublishConfig() {
            public Duration timeout() {
                return Duration.ofSeconds(10);
            }

            public int transactionalProducers() {
                return transactionalProducers;
            }

            public Optional<String> transactionalIdPrefix() {
                return Optional.of("ingest-test-" + UUID.randomUUID());
            }

            public boolean batchRecords() {
                return true;
            }

            public int requestsPerTransaction() {
                return 8;
            }

            public Duration linger() {
                return Duration.ofMillis(1);
            }
        };
        Map<String, Object> kafka = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST);
        EventPublisher publisher = new EventPublisher(config,
                role -> new KafkaProducer<>(EventPublisher.producerConfig(kafka, config.timeout(), config.linger(), role)),
                EventPublisher.maxRecordBytes(kafka));
        publishers.add(publisher);
        return publisher;
    }

    private static RawEvent event(String tenant, int n, int payloadChars) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("filler", "x".repeat(payloadChars));
        return new RawEvent(RawEvent.VERSION, UUID.randomUUID(), tenant, "task_completed", new Actor("ada", "Ada"), null,
                Instant.now(), Instant.now(), "event " + n, null, "api", Priority.fromWire("normal"), List.of(), null, null,
                null, payload, null);
    }

    /** Three small events, then one too large to publish, then a small one. */
    private static List<RawEvent> batchFailingAtItsFourthEvent(String tenant) {
        return IntStream.range(0, 5).mapToObj(i -> event(tenant, i, i == 3 ? MAX_REQUEST * 2 : 10)).toList();
    }

    @Test
    void aBatchWhosePublishFailsLeavesNothingVisibleToReadCommittedConsumers() throws Exception {
        String tenant = "txn-" + UUID.randomUUID().toString().substring(0, 8);
        EventPublisher publisher = publisher(2);
        try (Reader committed = new Reader("read_committed")) {
            assertThatThrownBy(() -> publisher.publish(batchFailingAtItsFourthEvent(tenant), null).join())
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(503));
            // the same producer pool goes on working: the next batch commits and becomes visible
            List<RawEvent> good = IntStream.range(10, 13).mapToObj(i -> event(tenant, i, 10)).toList();
            publisher.publish(good, null).join();
            await().atMost(Duration.ofSeconds(20)).until(() -> committed.titles(tenant).size() >= 3);
            assertThat(committed.titles(tenant)).containsExactly("event 10", "event 11", "event 12");
            // a marker published after everything else (same tenant, same partition): once it is read,
            // everything before it that will ever be visible has been read too
            publisher.publish(List.of(event(tenant, 99, 10)), null).join();
            await().atMost(Duration.ofSeconds(20)).until(() -> committed.titles(tenant).contains("event 99"));
            assertThat(committed.titles(tenant)).containsExactly("event 10", "event 11", "event 12", "event 99");
        }
    }

    @Test
    void withoutATransactionTheSameFailureLeavesPartOfTheBatchInKafka() throws Exception {
        // what transactions prevent: the idempotent producer alone publishes the events before the failing one
        String tenant = "notxn-" + UUID.randomUUID().toString().substring(0, 8);
        EventPublisher publisher = publisher(0);
        try (Reader committed = new Reader("read_committed")) {
            assertThatThrownBy(() -> publisher.publish(batchFailingAtItsFourthEvent(tenant), null).join())
                    .cause().isInstanceOf(ProblemException.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> committed.titles(tenant).size() >= 3);
            assertThat(committed.titles(tenant)).contains("event 0", "event 1", "event 2");
        }
    }

    @Test
    void requestsWaitingTogetherShareACommitAndAllBecomeVisible() throws Exception {
        // a batch for two tenants cannot be one record: these go through the transactional producer
        String first = "group-a-" + UUID.randomUUID().toString().substring(0, 8);
        String second = "group-b-" + UUID.randomUUID().toString().substring(0, 8);
        EventPublisher publisher = publisher(1);
        try (Reader committed = new Reader("read_committed")) {
            List<java.util.concurrent.CompletableFuture<Void>> acks = IntStream.range(0, 20)
                    .mapToObj(r -> publisher.publish(List.of(event(first, r, 10), event(second, r, 10)), null))
                    .toList();
            acks.forEach(java.util.concurrent.CompletableFuture::join);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> committed.titles(first).size() >= 20 && committed.titles(second).size() >= 20);
            assertThat(committed.titles(first)).hasSize(20).doesNotHaveDuplicates();
            assertThat(committed.titles(second)).hasSize(20).doesNotHaveDuplicates();
            assertThat(committed.records(first)).hasSize(20);
        }
    }

    @Test
    void oneTenantsBatchIsOneRecordOfItsEventsInOrder() throws Exception {
        publishedInOrderAs("record-", 5, 1);
    }

    @Test
    void aBatchLargerThanARecordIsOneTransactionOfARecordPerEvent() throws Exception {
        // 20 events of about 300 bytes: each fits a record, all of them together do not
        publishedInOrderAs("large-", 20, 20);
    }

    /** Publishes a batch of {@code events} events of one tenant and reads them back, in order, from {@code records} records. */
    private void publishedInOrderAs(String prefix, int events, int records) throws Exception {
        String tenant = prefix + UUID.randomUUID().toString().substring(0, 8);
        EventPublisher publisher = publisher(2);
        try (Reader committed = new Reader("read_committed")) {
            publisher.publish(IntStream.range(0, events).mapToObj(i -> event(tenant, i, 10)).toList(), null).join();
            await().atMost(Duration.ofSeconds(20)).until(() -> committed.titles(tenant).size() >= events);
            assertThat(committed.titles(tenant))
                    .containsExactlyElementsOf(IntStream.range(0, events).mapToObj(i -> "event " + i).toList());
            assertThat(committed.records(tenant)).hasSize(records);
        }
    }

    /** Reads activity.raw from its current end with the given isolation level. */
    private static final class Reader implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

        Reader(String isolation) {
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation));
            List<TopicPartition> partitions = IntStream.range(0, consumer.partitionsFor(Topics.ACTIVITY_RAW).size())
                    .mapToObj(p -> new TopicPartition(Topics.ACTIVITY_RAW, p)).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        /** The titles of the tenant's events read so far, in order. */
        List<String> titles(String tenant) {
            return records(tenant).stream()
                    .flatMap(value -> com.activityfeed.messages.MessageCodec.readRawEvents(value).stream())
                    .map(RawEvent::title).toList();
        }

        /** The values of the tenant's records read so far. */
        List<String> records(String tenant) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().filter(r -> tenant.equals(r.key())).map(ConsumerRecord::value).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
