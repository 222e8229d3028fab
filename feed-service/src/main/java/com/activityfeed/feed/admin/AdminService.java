package com.activityfeed.feed.admin;

import com.activityfeed.messages.Topics;
import com.activityfeed.kafka.KafkaProducers;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Operations on the consumption of activity.raw: lag of the feed's consumer group, depth of the
 * DLQ (messages not yet re-driven) and re-driving DLQ messages back onto activity.raw once their
 * cause is fixed; a re-driven event joins the log at its new position (SPEC §4).
 */
@ApplicationScoped
public class AdminService {
    static final String REDRIVE_GROUP = "feed-service-dlq-redrive";
    private static final String DLQ = Topics.dlq(Topics.ACTIVITY_RAW);

    private final Map<String, Object> kafkaConfig;
    private final KafkaProducers producers;
    private final String consumerGroup;

    /**
     * The consumer group is read from the channel's own setting, where the connector reads it, so
     * the lag shown is always the group that consumes. Not a {@code @ConfigMapping}: the key belongs
     * to the Kafka connector's namespace, and a mapping rooted at the channel would have to declare
     * (or tolerate) every other connector attribute of that channel.
     */
    static final String CONSUMER_GROUP_KEY = "mp.messaging.incoming.activity-raw.group.id";

    public AdminService(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, KafkaProducers producers,
                        Config config) {
        this.kafkaConfig = kafkaConfig;
        this.producers = producers;
        this.consumerGroup = config.getValue(CONSUMER_GROUP_KEY, String.class);
    }

    public record PartitionLag(int partition, long committed, long end, long lag) {
    }

    public record Lag(String topic, String group, long total, List<PartitionLag> partitions) {
    }

    public Lag consumerLag() {
        return lag(Topics.ACTIVITY_RAW, consumerGroup);
    }

    /** DLQ messages not yet re-driven. */
    public Lag dlqDepth() {
        return lag(DLQ, REDRIVE_GROUP);
    }

    private Lag lag(String topic, String group) {
        try (Admin admin = Admin.create(config(AdminClientConfig.configNames()))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
            }
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            var starts = admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            List<PartitionLag> out = new ArrayList<>();
            long total = 0;
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                long end = ends.get(tp).offset();
                OffsetAndMetadata c = committed.get(tp);
                long from = c == null ? starts.get(tp).offset() : Math.max(c.offset(), starts.get(tp).offset());
                out.add(new PartitionLag(p, from, end, end - from));
                total += end - from;
            }
            return new Lag(topic, group, total, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailable(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailable(e);
        }
    }

    public record Redriven(int redriven, long remaining) {
    }

    /** Publishes up to {@code max} DLQ messages back onto activity.raw, oldest first per partition. */
    public synchronized Redriven redrive(int max) {
        Map<String, Object> consumerConfig = config(ConsumerConfig.configNames());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, REDRIVE_GROUP);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, max);
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        int sent = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig);
             KafkaProducer<String, String> producer = producers.create(
                     KafkaProducers.Options.of("feed-dlq-redrive", Duration.ofSeconds(15)))) {
            long depth = dlqDepth().total();
            consumer.subscribe(List.of(DLQ));
            Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
            List<Future<?>> acks = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sent < Math.min(max, depth) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (sent >= max) {
                        break;
                    }
                    acks.add(producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, r.key(), r.value())));
                    next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    sent++;
                }
            }
            for (Future<?> ack : acks) {
                ack.get(15, TimeUnit.SECONDS);
            }
            // committed only after activity.raw acknowledged them: a crash re-drives again, never loses
            consumer.commitSync(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailable(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailable(e);
        }
        return new Redriven(sent, dlqDepth().total());
    }

    private Map<String, Object> config(java.util.Set<String> names) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.keySet().removeIf(k -> !names.contains(k));
        return config;
    }

    public static final class KafkaUnavailable extends RuntimeException {
        KafkaUnavailable(Throwable cause) {
            super("Kafka did not answer: " + cause.getMessage(), cause);
        }
    }
}
