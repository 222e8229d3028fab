package com.activityfeed.bench.stream;

import com.activityfeed.bench.FlightRecording;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real infrastructure plus packaged ingest-service and feed-service processes for the stream
 * benchmarks; everything is stopped when the benchmark's JVM exits.
 */
final class BenchStack implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final Infra infra;
    final ServiceProcess ingest;
    final ServiceProcess feed;
    // -DpostConnections: how many POSTs may be on the wire at once (more wait in the client's queue)
    private final PostClient posts;

    BenchStack(String feedHeap) {
        infra = Infra.shared();
        Path logs = Infra.root().resolve("benchmarks/target/service-logs");
        Map<String, String> ingestEnv = ServiceProcess.environment(infra, null, TestTokens.SECRET);
        ingestEnv.put("INGEST_RATE_LIMIT", "1000000000"); // measure the pipeline, not the limiter
        FlightRecording.ifAsked("jfr", ingestEnv); // -Djfr=/tmp/ingest.jfr: the ingest process
        settings("ingestEnv", ingestEnv);
        ingest = ServiceProcess.start("ingest-service", Ports.free(), ingestEnv, logs);
        Map<String, String> env = ServiceProcess.environment(infra, "feed", TestTokens.SECRET);
        env.put("AFP_HEAP", feedHeap);
        FlightRecording.ifAsked("jfrFeed", env); // -DjfrFeed=/tmp/feed.jfr: the feed process (consumer, relay, fan-out)
        settings("feedEnv", env);
        feed = ServiceProcess.start("feed-service", Ports.free(), env, logs);
        posts = new PostClient("127.0.0.1", ingest.port(), Integer.getInteger("postConnections", 128));
    }

    /**
     * {@code -DfeedEnv=NAME=value,NAME=value} (and {@code -DingestEnv}): settings for one process, e.g.
     * {@code MP_MESSAGING_INCOMING_ACTIVITY_RAW_FETCH_MIN_BYTES=4096} to compare consumer settings in one
     * build; printed so a figure names what it ran with.
     */
    private static void settings(String property, Map<String, String> env) {
        String value = System.getProperty(property, "").strip();
        if (value.isEmpty()) {
            return;
        }
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("-D" + property + " wants NAME=value[,NAME=value], got: " + pair);
            }
            env.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        System.out.printf("  -D%s: %s%n", property, value);
    }

    /** Posts one high-priority event (never grouped) titled {@code title}; completes with the status. */
    CompletableFuture<Integer> post(String tenant, String token, String title) {
        // the marker goes in the title and the payload: tiles carry both (SPEC §4)
        String body = "{\"type\":\"bench_tick\",\"priority\":\"high\",\"title\":\"" + title
                + "\",\"payload\":{\"marker\":\"" + title + "\"}}";
        return posts.post("/api/v1/events", token, body);
    }

    /** A record as ingest writes it for one {@link #post} event: the size the floors use. */
    static String sampleRecord(String tenant) {
        String marker = "bench-123456";
        return com.activityfeed.messages.MessageCodec.write(new com.activityfeed.messages.RawEvent(
                com.activityfeed.messages.RawEvent.VERSION, java.util.UUID.randomUUID(), tenant, "bench_tick", null, null,
                java.time.Instant.now(), java.time.Instant.now(), marker, null, "api",
                com.activityfeed.messages.Priority.fromWire("high"), java.util.List.of(), null, null, null,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("marker", marker), null));
    }

    /** One line of the feed's Prometheus metrics, e.g. a quantile of the delivery latency. */
    String metric(String prefix) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(feed.url("/q/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        StringBuilder lines = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                lines.append(line).append('\n');
            }
        }
        return lines.toString();
    }

    /** The feed consumer's polls so far and the records they held: {count, sum} of feed_consumer_batch_records. */
    double[] polls() throws Exception {
        return new double[]{single(metric("feed_consumer_batch_records_count")), single(metric("feed_consumer_batch_records_sum"))};
    }

    private static double single(String lines) {
        String line = lines.strip();
        return line.isEmpty() ? 0 : Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** The feed process's used heap after two full GCs (jcmd), in bytes. */
    long feedHeapAfterGc() throws Exception {
        long pid = feedPid();
        for (int i = 0; i < 2; i++) {
            jcmd(pid, "GC.run");
        }
        String info = jcmd(pid, "GC.heap_info");
        // "PSYoungGen total 12345K, used 678K" and "ParOldGen total ..K, used ..K" (the services run ParallelGC)
        Matcher used = Pattern.compile("(PSYoungGen|ParOldGen)\\s+total \\d+K, used (\\d+)K").matcher(info);
        long kib = 0;
        while (used.find()) {
            kib += Long.parseLong(used.group(2));
        }
        if (kib == 0) {
            throw new IllegalStateException("cannot read heap use from: " + info);
        }
        return kib * 1024;
    }

    /** With {@code -Dhistogram=FILE}: the feed's live class histogram into {@code FILE + suffix}. */
    void feedHistogram(String suffix) throws Exception {
        String file = System.getProperty("histogram");
        if (file != null) {
            Files.writeString(Path.of(file + suffix), jcmd(feedPid(), "GC.class_histogram"));
        }
    }

    private long feedPid() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .filter(p -> p.info().commandLine().map(c -> c.contains("-Dquarkus.http.port=" + feed.port() + " ")
                        && c.contains("feed-service")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("feed process not found")).pid();
    }

    private static String jcmd(long pid, String command) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process process = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(60, TimeUnit.SECONDS);
        return output;
    }

    @Override
    public void close() {
        posts.close();
        feed.close();
        ingest.close();
    }
}
