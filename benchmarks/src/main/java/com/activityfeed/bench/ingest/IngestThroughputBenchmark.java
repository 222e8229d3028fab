package com.activityfeed.bench.ingest;

import com.activityfeed.bench.FlightRecording;
import com.activityfeed.bench.LoadAverage;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * SPEC §8 P1: batched ingest events/s (batches of 100 events of about 500 bytes) divided by the
 * records/s of Kafka's own producer perf test (ProducerPerformance) for records of one event each,
 * against the same broker, in one run. The perf test sends the very events ingest wrote (read back
 * from activity.raw), one record per event, with ingest's producer settings, so size and
 * compressibility match. Ingest writes a batch as one record of all its events: the perf test's
 * records are each one event of it, so the ratio compares events with events (against whole batch
 * records it would be a hundred times larger and mean nothing).
 *
 * <p>Run: package ingest-service and benchmarks, then
 * {@code java -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" com.activityfeed.bench.ingest.IngestThroughputBenchmark}
 * System properties: {@code batch} (100 events per request; 1 posts single events), {@code clients} (8), {@code tenants} (8), {@code warmup} (5 s), {@code seconds} (20),
 * {@code perfRecords} (500000), {@code jfr} (a file: record the ingest process with Flight Recorder),
 * {@code compare} ({@code transactions}: measure ingest a second time publishing a record per event,
 * each batch a Kafka transaction, {@code INGEST_BATCH_RECORDS=false}; {@code plain}: a record per
 * event without transactions, not all or nothing; and print both rates).
 */
public final class IngestThroughputBenchmark {
    /** Events per request: 100 for P1; -Dbatch=1 posts single events (ingest's own P2 target, ≥ 2 000 POSTs/s). */
    private static final int BATCH = Integer.getInteger("batch", 100);
    private static final Pattern PERF_SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec");

    private IngestThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int clients = Integer.getInteger("clients", 8);
        int tenants = Integer.getInteger("tenants", 8);
        int warmup = Integer.getInteger("warmup", 5);
        int seconds = Integer.getInteger("seconds", 20);
        int perfRecords = Integer.getInteger("perfRecords", 500_000);

        Infra infra = Infra.shared();
        Path logs = Infra.root().resolve("benchmarks/target/bench-logs");
        Map<String, String> env = new java.util.HashMap<>(ServiceProcess.environment(infra, null, TestTokens.SECRET));
        env.put("INGEST_RATE_LIMIT", "1000000000"); // measure the pipeline, not the limiter
        env.put("AFP_HEAP", "768m");
        FlightRecording.ifAsked("jfr", env); // -Djfr=/tmp/ingest.jfr: the ingest process
        List<String> bodies = IntStream.range(0, tenants).mapToObj(t -> batch(t)).toList();
        double ingestRate;
        try (ServiceProcess ingest = ServiceProcess.start("ingest-service", Ports.free(), env, logs)) {
            int eventBytes = bodies.getFirst().getBytes(StandardCharsets.UTF_8).length / BATCH;
            System.out.printf("ingest: %d clients, %d tenants, batches of %d events of ~%d bytes (request JSON), "
                    + "each request one Kafka record   [%s]%n", clients, tenants, BATCH, eventBytes, LoadAverage.now());
            run(ingest, clients, tenants, bodies, Duration.ofSeconds(warmup));
            ingestRate = run(ingest, clients, tenants, bodies, Duration.ofSeconds(seconds));
            System.out.printf("ingest: %.0f events/s over %d s   [%s]%n", ingestRate, seconds, LoadAverage.now());
        }
        String compare = System.getProperty("compare", "");
        if (!compare.isEmpty()) {
            // the same load on the other ways of publishing a batch, each in a fresh ingest process
            Map<String, String> other = new java.util.HashMap<>(env);
            other.put("INGEST_BATCH_RECORDS", "false");
            if (compare.equals("plain")) {
                other.put("INGEST_TRANSACTIONAL_PRODUCERS", "0");
            } else if (!compare.equals("transactions")) {
                throw new IllegalArgumentException("-Dcompare=transactions|plain, was " + compare);
            }
            other.remove("JAVA_TOOL_OPTIONS");
            try (ServiceProcess ingest = ServiceProcess.start("ingest-service", Ports.free(), other, logs)) {
                run(ingest, clients, tenants, bodies, Duration.ofSeconds(warmup));
                double otherRate = run(ingest, clients, tenants, bodies, Duration.ofSeconds(seconds));
                System.out.printf("ingest with a record per event (%s): %.0f events/s over %d s; with a record per batch %.0f "
                        + "(%.2f times)   [%s]%n", compare.equals("plain") ? "no transactions, not all or nothing"
                                : "each batch a Kafka transaction", otherRate, seconds, ingestRate, ingestRate / otherRate,
                        LoadAverage.now());
            }
        }
        Path payloads = Files.createTempFile("ingest-records", ".jsonl");
        int recordBytes = writtenRecords(infra, payloads, 2_000);
        System.out.printf("events ingest writes to %s: %d bytes on average (a batch is one record of its events)%n",
                Topics.ACTIVITY_RAW, recordBytes);
        double perfRate = producerPerf(infra, payloads, perfRecords, recordBytes);
        Files.deleteIfExists(payloads);
        System.out.printf("kafka ProducerPerformance: %.0f records/s (%d records of ~%d bytes, acks=all, idempotent, lz4, "
                + "linger 1 ms, batch 128 KiB)   [%s]%n", perfRate, perfRecords, recordBytes, LoadAverage.now());
        System.out.printf("%s ratio ingest/kafka = %.3f%s   [%s]%n", BATCH == 100 ? "P1" : "batches of " + BATCH + ":",
                ingestRate / perfRate, BATCH == 100 ? " (target >= 0.5)" : " (P1 is batches of 100)", LoadAverage.now());
        System.exit(0);
    }

    /** One batch of {@link #BATCH} events of about 500 bytes each, for tenant t (a single event: the event alone). */
    static String batch(int tenant) {
        StringBuilder body = new StringBuilder(BATCH == 1 ? "" : "{\"events\":[");
        for (int i = 0; i < BATCH; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("""
                    {"type":"task_completed","actor":{"id":"user-%1$03d","name":"Ada Lovelace %1$03d"},\
                    "entity":{"type":"task","id":"task-%2$05d","name":"Prepare the quarterly planning review deck"},\
                    "title":"Ada completed a task","description":"The task was completed ahead of its due date and moved to done.",\
                    "source":"tracker","priority":"normal","tags":["team:platform","sprint:42"],\
                    "correlationId":"corr-%2$05d","payload":{"project":"apollo","estimate":5,"spent":4,"labels":["backend","release"]}}"""
                    .formatted(i % 50, tenant * 1000 + i));
        }
        return BATCH == 1 ? body.toString() : body.append("]}").toString();
    }

    /** Events/s that {@code clients} threads get accepted by ingest in {@code duration}. */
    private static double run(ServiceProcess ingest, int clients, int tenants, List<String> bodies, Duration duration)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> workers = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int c = 0; c < clients; c++) {
            int tenant = c % tenants;
            String token = TestTokens.ingest("bench-" + tenant);
            HttpRequest request = HttpRequest.newBuilder(URI.create(ingest.url("/api/v1/events")))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get(tenant))).build();
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        accepted.addAndGet(BATCH);
                    } else {
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        if (refused.get() > 0) {
            System.out.printf("ingest: %d requests were not accepted%n", refused.get());
        }
        return accepted.get() / elapsed;
    }

    /**
     * Copies {@code count} events ingest wrote into a file, one per line (a batch record's events each
     * on its own line, as the record of a single event would hold it); returns their mean size.
     */
    private static int writtenRecords(Infra infra, Path file, int count) throws IOException {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ACTIVITY_RAW).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    MessageCodec.readRawEvents(record.value()).forEach(event -> values.add(MessageCodec.write(event)));
                }
            }
        }
        List<String> sample = values.subList(0, Math.min(count, values.size()));
        Files.write(file, sample, StandardCharsets.UTF_8);
        return (int) sample.stream().mapToInt(v -> v.getBytes(StandardCharsets.UTF_8).length).average().orElseThrow();
    }

    /** Runs ProducerPerformance in the broker's classpath JVM and returns its records/s. */
    private static double producerPerf(Infra infra, Path payloads, int records, int recordBytes) throws Exception {
        String classpath = Files.readString(Infra.root().resolve("kafka-broker/target/classpath.txt")).trim();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath, "org.apache.kafka.tools.ProducerPerformance",
                "--topic", Topics.ACTIVITY_RAW, "--num-records", String.valueOf(records), "--throughput", "-1",
                "--payload-file", payloads.toString(), "--payload-delimiter", "\n",
                "--producer-props", "bootstrap.servers=" + infra.bootstrapServers(), "acks=all",
                "enable.idempotence=true", "linger.ms=1", "batch.size=131072", "compression.type=lz4");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("ProducerPerformance failed:\n" + output);
        }
        Matcher last = null;
        for (String line : output.lines().toList()) {
            Matcher m = PERF_SUMMARY.matcher(line);
            if (m.find() && line.contains("99th")) {
                last = m;
            }
        }
        if (last == null) {
            throw new IllegalStateException("no summary in ProducerPerformance output:\n" + output);
        }
        System.out.println("kafka ProducerPerformance summary: " + output.lines().filter(l -> l.contains("99th")).findFirst().orElse(""));
        return Double.parseDouble(last.group(2));
    }
}
