package com.activityfeed.feed.stream;

import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Topics;
import com.activityfeed.kafka.HopLatency;
import com.activityfeed.kafka.tracing.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Every replica reads all of {@code feed.changes} (its own consumer group, from the end, no
 * commits) and hands each change to its local streams. Partitions are assigned directly rather
 * than through a group rebalance, so a replica streams within a poll of starting. What a replica
 * misses before it started is not lost: streams fill any gap from the change log.
 *
 * <p>Tracing: a change that carries a {@code traceparent} header (the relay's send span) is handed
 * to the streams inside a {@code process feed.changes} span; the first stream write of it is its
 * child {@code write feed.stream} ({@link StreamHub}). Changes of tenants without a stream here are
 * skipped before any span is made.
 */
@ApplicationScoped
public class ChangeFanoutConsumer {
    private static final Logger LOG = Logger.getLogger(ChangeFanoutConsumer.class);

    private final StreamHub hub;
    private final Map<String, Object> kafkaConfig;
    private final Counter malformed;
    private final Timer publishedToFanout;
    private final Tracer tracer;
    private final String groupId = "feed-stream-" + UUID.randomUUID();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Semaphore stopping = new Semaphore(0);
    private volatile boolean running;
    private KafkaConsumer<String, String> consumer;
    private Thread thread;

    public ChangeFanoutConsumer(StreamHub hub, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                                MeterRegistry registry, Tracer tracer) {
        this.hub = hub;
        this.tracer = tracer;
        this.kafkaConfig = kafkaConfig;
        this.malformed = Counter.builder("feed.stream.changes.malformed")
                .description("feed.changes records the stream could not read").register(registry);
        this.publishedToFanout = HopLatency.timer(registry, "published_to_fanout");
    }

    void start(@Observes StartupEvent event) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.keySet().removeIf(k -> !ConsumerConfig.configNames().contains(k));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        consumer = new KafkaConsumer<>(config);
        running = true;
        thread = new Thread(this::loop, "feed-stream-fanout");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        stopping.release();
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until the consumer holds its partitions (tests and benchmarks). */
    public boolean awaitAssigned(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void loop() {
        long backoff = 0;
        try {
            while (running) {
                try {
                    if (assigned.getCount() > 0) {
                        assign();
                    }
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                        HopLatency.recordSince(publishedToFanout, record.timestamp());
                        // the key is the tenant (the relay's record key): most replicas hold no stream
                        // of most tenants, and reading a change costs more than everything else here
                        if (record.key() != null && !hub.streams(record.key())) {
                            continue;
                        }
                        Span span = KafkaTracing.startProcess(tracer, Topics.FEED_CHANGES, record.key(),
                                KafkaTracing.extract(record.headers()));
                        try {
                            int offered = hub.publish(MessageCodec.readFeedChangeForStream(record.value()),
                                    span == null ? null : span.getSpanContext());
                            if (span != null) {
                                span.setAttribute(StreamHub.SUBSCRIBERS, offered);
                            }
                        } catch (MessageCodec.MalformedMessageException e) {
                            // the DLQ is the relay's business; a reader just skips what it cannot read
                            malformed.increment();
                            LOG.warnf("skipping unreadable feed.changes record at %s-%d@%d: %s",
                                    record.topic(), record.partition(), record.offset(), e.getMessage());
                        } finally {
                            if (span != null) {
                                span.end();
                            }
                        }
                    }
                    backoff = 0;
                } catch (WakeupException e) {
                    if (running) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    backoff = Math.min(Math.max(backoff * 2, 250), 5000);
                    LOG.warnf("feed.changes fan-out failed, retrying in %d ms: %s", backoff, e.toString());
                    if (!pause(backoff)) {
                        return;
                    }
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assign() {
        List<PartitionInfo> partitions = consumer.partitionsFor(Topics.FEED_CHANGES, Duration.ofSeconds(5));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException(Topics.FEED_CHANGES + " has no partitions yet");
        }
        List<TopicPartition> topicPartitions = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(topicPartitions);
        consumer.seekToEnd(topicPartitions);
        topicPartitions.forEach(consumer::position); // resolve "the end" now, not at the first poll
        assigned.countDown();
        LOG.infof("streaming %s (%d partitions) as %s", Topics.FEED_CHANGES, topicPartitions.size(), groupId);
    }

    /** Backs off after a failure; shutdown cuts the wait short. */
    private boolean pause(long millis) {
        try {
            stopping.tryAcquire(millis, TimeUnit.MILLISECONDS);
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
