package com.activityfeed.bench.floor;

import com.activityfeed.bench.LoadAverage;
import com.activityfeed.bench.Percentiles;
import com.activityfeed.testsupport.infra.Infra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The Kafka floor of the pipeline, on the benchmark's own broker: (1) Kafka's own
 * {@code org.apache.kafka.tools.EndToEndLatency} (kafka-tools, run in its own JVM on the broker's
 * classpath so that kafka-tools never enters a service), which is closed-loop: one record at a
 * time, produce with acks=all then consume, so its rate is whatever its latency allows; (2) the same
 * produce → consume at a fixed open-loop rate, with the settings of ingest's single-event producer
 * (acks=all, idempotent, no compression, linger 1 ms), for a floor at the very rate of the run.
 */
public final class KafkaFloor {
    private static final Pattern PERCENTILES = Pattern.compile("Percentiles: 50th = ([\\d.]+), 99th = ([\\d.]+), 99.9th = ([\\d.]+)");
    private static final Pattern AVG = Pattern.compile("Avg latency: ([\\d.]+) ms");

    private KafkaFloor() {
    }

    /** Runs EndToEndLatency for {@code records} records of {@code recordBytes}; prints its result and the load. */
    public static void endToEndLatencyTool(Infra infra, int records, int recordBytes) throws Exception {
        String topic = "bench.e2e-latency";
        infra.kafka().createTopics(List.of(topic));
        String classpath = Files.readString(Infra.root().resolve("kafka-broker/target/classpath.txt")).trim();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath, "org.apache.kafka.tools.EndToEndLatency",
                infra.bootstrapServers(), topic, String.valueOf(records), "all", String.valueOf(recordBytes));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            System.out.println("  EndToEndLatency failed:\n" + output);
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Matcher p = PERCENTILES.matcher(output);
        Matcher avg = AVG.matcher(output);
        if (p.find() && avg.find()) {
            System.out.printf("  Kafka EndToEndLatency tool (closed loop, %d records of %d B, acks=all; ~%.0f records/s incl. JVM start): "
                            + "avg %s ms, p50 %s ms, p99 %s ms, p99.9 %s ms   [%s]%n",
                    records, recordBytes, records / seconds, avg.group(1), p.group(1), p.group(2), p.group(3), LoadAverage.now());
        } else {
            System.out.println("  EndToEndLatency printed no percentiles:\n" + output);
        }
    }

    /**
     * Produce → consume at {@code rate} records/s for {@code seconds}, records of {@code recordBytes}
     * with ingest's producer settings; prints produce → ack and produce → consumed percentiles.
     */
    public static void openLoop(Infra infra, int rate, int seconds, int recordBytes) {
        String topic = "bench.floor";
        infra.kafka().createTopics(List.of(topic));
        int total = rate * seconds;
        long[] ack = new long[total];
        long[] consumed = new long[total];
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Map<String, Object> consumerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<TopicPartition> partitions = IntStream.range(0, consumer.partitionsFor(topic).size())
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            // metadata, connections and the producer id before the clock starts
            producer.send(new ProducerRecord<>(topic, new byte[]{0}, new byte[]{-1, -1, -1, -1})).get(60, TimeUnit.SECONDS);
            long[] intended = new long[total];
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            long period = 1_000_000_000L / rate;
            Thread pacer = new Thread(() -> {
                for (int n = 0; n < total; n++) {
                    long at = start + n * period;
                    long wait;
                    while ((wait = at - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    intended[n] = at;
                    byte[] value = new byte[Math.max(8, recordBytes)];
                    ByteBuffer.wrap(value).putInt(n);
                    int i = n;
                    producer.send(new ProducerRecord<>(topic, ("k" + (n % 8)).getBytes(StandardCharsets.UTF_8), value),
                            (metadata, error) -> {
                                if (error == null) {
                                    ack[i] = System.nanoTime() - intended[i];
                                }
                            });
                }
            }, "floor-pacer");
            pacer.start();
            int seen = 0;
            long deadline = start + TimeUnit.SECONDS.toNanos(seconds + 30L);
            while (seen < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    int n = ByteBuffer.wrap(record.value()).getInt();
                    if (n >= 0 && n < total && consumed[n] == 0) {
                        consumed[n] = Math.max(1, System.nanoTime() - intended[n]);
                        seen++;
                    }
                }
            }
            pacer.join();
            System.out.printf("  Kafka open loop at %d/s for %d s (%d B records, ingest's producer settings)   [%s]%n",
                    rate, seconds, recordBytes, LoadAverage.now());
            System.out.printf("    produce -> ack:      %s%n", Percentiles.ofNanos(Arrays.stream(ack).filter(v -> v > 0).toArray()));
            System.out.printf("    produce -> consumed: %s, not consumed: %d%n",
                    Percentiles.ofNanos(Arrays.stream(consumed).filter(v -> v > 0).toArray()), total - seen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.out.println("  Kafka open loop could not start: " + e);
        }
    }
}
