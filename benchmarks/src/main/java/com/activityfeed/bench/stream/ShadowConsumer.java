package com.activityfeed.bench.stream;

import com.activityfeed.bench.Percentiles;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

/**
 * A plain Kafka consumer of {@code activity.raw} in the benchmark's own JVM, in a group of its own,
 * reading the run's records beside the feed: each record's time from its timestamp (set by ingest's
 * producer) to this consumer's poll. Read next to the feed's {@code append_to_consumed}, it says
 * whether a delay is the broker's and the producer's (both show it) or the feed process's (only the
 * feed shows it). The benchmark runs two: read_committed as the feed reads (up to the last stable
 * offset) and read_uncommitted (up to the high watermark); fetches return at once. A daemon thread
 * reads until {@link #stop}.
 */
final class ShadowConsumer {
    private final String tenant;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    // per record read: its timestamp (ms) and its time to this consumer's poll (ns)
    private long[] stamps = new long[1024];
    private long[] nanos = new long[1024];
    private int count;

    /** @param isolation read_committed (as the feed reads) or read_uncommitted (up to the high watermark) */
    ShadowConsumer(Infra infra, String tenant, String isolation) {
        this.tenant = tenant;
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-shadow-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        consumer.subscribe(List.of(Topics.ACTIVITY_RAW));
        // joined and positioned before the measured records are sent
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.assignment().forEach(consumer::position);
        thread = new Thread(this::run, "bench-shadow-" + isolation);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (tenant.equals(r.key())) {
                    long took = Math.max(1, System.currentTimeMillis() - r.timestamp()) * 1_000_000L;
                    if (count == nanos.length) {
                        nanos = Arrays.copyOf(nanos, count * 2);
                        stamps = Arrays.copyOf(stamps, count * 2);
                    }
                    stamps[count] = r.timestamp();
                    nanos[count++] = took;
                }
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    /** Stops reading and returns what it read of records stamped from {@code fromMillis} on: timestamp → this consumer's poll. */
    Percentiles stop(long fromMillis) throws InterruptedException {
        running.set(false);
        thread.join(10_000);
        return Percentiles.ofNanos(IntStream.range(0, count).filter(i -> stamps[i] >= fromMillis)
                .mapToLong(i -> nanos[i]).toArray());
    }
}
