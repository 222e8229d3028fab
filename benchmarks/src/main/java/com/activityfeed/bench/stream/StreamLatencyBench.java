package com.activityfeed.bench.stream;

import com.activityfeed.bench.CpuShares;
import com.activityfeed.bench.HopHistograms;
import com.activityfeed.bench.LoadAverage;
import com.activityfeed.bench.Percentiles;
import com.activityfeed.bench.floor.KafkaFloor;
import com.activityfeed.bench.floor.PostgresFloor;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * SPEC §8 P2: single-event POSTs to ingest at a fixed rate (open loop), each timed to its 202 and
 * to its {@code activity.event.created} on one open stream of the feed; then the per-hop breakdown
 * from the services' {@code pipeline_hop_latency_seconds} histograms (scraped before and after the
 * measured period) and the floor in the same run: Kafka's own EndToEndLatency tool, the same
 * produce → consume at the run's rate, and a PostgreSQL insert+commit of an event row at that rate.
 *
 * <p>Open loop: event n is due at start + n/rate and is sent then whatever happened to the others;
 * every latency is measured from when it was due (a stalled sender cannot hide a stall). Only a
 * safety cap of in-flight requests ({@code -DmaxInFlight}, 4096) makes it skip; skips are printed.
 *
 * <p>Arguments: [events/s=1000] [seconds=20]; {@code -DwarmupEvents=40000} events at {@code -DwarmupRate=300}/s first (not
 * measured), {@code -Dfloor=false} skips the floors, {@code -Djfr=/tmp/ingest.jfr} records ingest, {@code -Dshadow=true}
 * adds plain consumers that read activity.raw beside the feed ({@link ShadowConsumer}).
 */
public final class StreamLatencyBench {
    private static final Pattern TITLE = Pattern.compile("\"bench-(\\d+)\"");

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        // The warm-up is counted in events, not seconds: a method called once per event reaches the C2
        // compiler's threshold after some 15 000 calls, so at 200/s even 120 s of warm-up measured the
        // JIT (C2 was the busiest thread of ingest and feed) rather than the pipeline
        int warmupEvents = Integer.getInteger("warmupEvents", 40_000);
        int warmupRate = Integer.getInteger("warmupRate", 300);
        int maxInFlight = Integer.getInteger("maxInFlight", 4096);
        boolean floor = Boolean.parseBoolean(System.getProperty("floor", "true"));
        try (BenchStack stack = new BenchStack("512m")) {
            String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            String producer = TestTokens.ingest(tenant);
            try (SseClient sse = SseClient.to(stack.feed.url("/api/v1/feed/stream"))
                    .bearer(TestTokens.reader(tenant, "watcher")).connect()) {
                sse.awaitEvent("feed.connected", Duration.ofSeconds(10));
                Run run = new Run(stack, sse, tenant, producer, maxInFlight);
                // -Dshadow=true: plain consumers beside the feed, started before the warm-up so that their
                // compilation is not in the measured period. Off unless asked for: their CPU is taken
                // from the processes measured (with their compilation, half the benchmark JVM's samples
                // in a measured period when they started with it)
                boolean shadows = Boolean.parseBoolean(System.getProperty("shadow", "false"));
                ShadowConsumer committed = shadows ? new ShadowConsumer(stack.infra, tenant, "read_committed") : null;
                ShadowConsumer uncommitted = shadows ? new ShadowConsumer(stack.infra, tenant, "read_uncommitted") : null;
                System.out.printf("P2: %d single-event POSTs/s, open loop; warm-up %d events at %d/s   [%s]%n", rate,
                        warmupEvents, warmupRate, LoadAverage.now());
                String[] metrics = {stack.ingest.url("/q/metrics"), stack.feed.url("/q/metrics")};
                // scraped every 5 s during the warm-up, as a Prometheus would: the benchmark reads the
                // per-hop counters right before the measured period, and a service's first scrapes run
                // cold code (in one run a cold scrape at second 10 made that second's slowest delivery
                // 289 ms against about 50; the warm-up's first ones are cold instead)
                ScheduledExecutorService scrapes = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "bench-scrape");
                    t.setDaemon(true);
                    return t;
                });
                ScheduledFuture<?> warmupScrapes = scrapes.scheduleWithFixedDelay(() -> HopHistograms.scrape(metrics), 5, 5,
                        TimeUnit.SECONDS);
                run.phase(0, warmupEvents, warmupRate);
                warmupScrapes.cancel(false);
                // -DidleSeconds=10: the stack's CPU with nothing to do, measured between the warm-up and
                // the measured period. Off by default: the first second of load after 20 idle seconds
                // brought long compilations (JFR: a 755 ms C2 compile of Netty's write path in ingest,
                // 608 ms of compiles in feed, the executor's idle path deoptimised), ingest and feed
                // took both cores, and that second's slowest delivery was 457-563 ms against at most
                // 100-160 ms for every later second (three runs). That is what a stack waking up costs
                // once, not its latency at a sustained rate.
                int idle = Integer.getInteger("idleSeconds", 0);
                if (idle > 0) {
                    // what the stack costs with nothing to do: the floor under every per-event figure below;
                    // after as long again to settle, since the warm-up's last work (commits, relays,
                    // notices, the compiler's queue) goes on for a few seconds after its last delivery
                    Thread.sleep(idle * 1000L);
                    CpuShares idleBefore = CpuShares.snapshot(stack.ingest.port(), stack.feed.port());
                    Thread.sleep(idle * 1000L);
                    System.out.printf("  CPU by process while idle for %d s, as long again after the warm-up (one stream open, no events)   [%s]%n", idle,
                            LoadAverage.now());
                    System.out.print(CpuShares.snapshot(stack.ingest.port(), stack.feed.port())
                            .table(idleBefore, 0, "    ").replaceAll("\\s+[0-9.]+ ms CPU per event", ""));
                }
                HopHistograms before = HopHistograms.scrape(metrics);
                double[] pollsBefore = stack.polls();
                CpuShares cpuBefore = CpuShares.snapshot(stack.ingest.port(), stack.feed.port());
                int from = warmupEvents;
                // -DscrapeAtSecond=N: both services' metrics scraped N seconds into the measured period,
                // as Prometheus does every 15-30 s: its cost shows in that second's slowest delivery
                int scrapeAt = Integer.getInteger("scrapeAtSecond", 0);
                if (scrapeAt > 0) {
                    scrapes.schedule(() -> {
                        long t0 = System.nanoTime();
                        HopHistograms.scrape(metrics);
                        System.out.printf("  scrape of both services' metrics at second %d took %d ms%n", scrapeAt,
                                (System.nanoTime() - t0) / 1_000_000);
                    }, scrapeAt, TimeUnit.SECONDS);
                }
                Phase measured = run.phase(from, rate * seconds, rate);
                scrapes.shutdownNow();
                Percentiles shadowCommitted = shadows ? committed.stop(measured.startedAtMillis) : null;
                Percentiles shadowUncommitted = shadows ? uncommitted.stop(measured.startedAtMillis) : null;
                CpuShares cpuAfter = CpuShares.snapshot(stack.ingest.port(), stack.feed.port());
                HopHistograms hops = HopHistograms.scrape(metrics).minus(before);
                double[] pollsAfter = stack.polls();
                measured.print(rate, seconds);
                if (sse.ended()) {
                    // events that never reached this client are not lost to the feed: say why the stream stopped
                    List<SseClient.Event> seen = sse.events();
                    SseClient.Event last = seen.isEmpty() ? null : seen.getLast();
                    System.out.printf("  the stream ENDED before the last delivery (the benchmark does not reconnect): %d events read,"
                                    + " the last %s at %s%s; the undelivered events are missing from this client only%n",
                            seen.size(), last == null ? "-" : last.event() + " " + abbreviate(last.data()),
                            last == null ? "-" : last.receivedAt(),
                            sse.failure().map(f -> ", read failed: " + f).orElse(""));
                }
                System.out.printf("  CPU by process, measured period (sending and the wait for the last deliveries)   [%s]%n",
                        LoadAverage.now());
                System.out.print(cpuAfter.table(cpuBefore, (long) rate * seconds, "    "));
                System.out.printf("  per hop (pipeline_hop_latency_seconds, measured period only)   [%s]%n", LoadAverage.now());
                System.out.print(hops.table("    "));
                if (shadows) {
                    System.out.printf("  activity.raw timestamp -> a plain consumer in the benchmark's JVM, read_committed: %s%n",
                            shadowCommitted);
                    System.out.printf("  activity.raw timestamp -> a plain consumer in the benchmark's JVM, read_uncommitted: %s%n",
                            shadowUncommitted);
                }
                double polls = pollsAfter[0] - pollsBefore[0];
                // each poll's batch is one transaction and one relay round: what the fetch settings buy
                System.out.printf("  feed consumer: %.0f polls, %.2f records per poll (feed_consumer_batch_records)%n", polls,
                        polls == 0 ? 0 : (pollsAfter[1] - pollsBefore[1]) / polls);
                System.out.println("  feed-service feed_stream_fanout_latency (change commit -> write):");
                System.out.print(stack.metric("feed_stream_fanout_latency_seconds{").replaceAll("(?m)^", "    "));
                if (floor) {
                    System.out.println("  floor, same broker and database, same run:");
                    int recordBytes = Math.max(64, measured.recordBytes(stack));
                    KafkaFloor.openLoop(stack.infra, rate, Math.min(seconds, 10), recordBytes);
                    KafkaFloor.endToEndLatencyTool(stack.infra, Math.min(rate * 5, 5000), recordBytes);
                    PostgresFloor.run(stack.infra, rate, Math.min(seconds, 10), BenchStack.sampleRecord(tenant));
                }
                boolean met = measured.lost == 0 && measured.failed.isEmpty() && measured.skipped.get() == 0
                        && measured.sse.count() > 0 && measured.sse.p99() < 50;
                System.out.printf("  target p99 POST -> SSE < 50 ms at %d/s with 0 lost: %s   [%s]%n", rate, met ? "met" : "NOT met",
                        LoadAverage.now());
            }
        }
        System.exit(0);
    }

    /** The sender and the stream reader; events are numbered across phases. */
    private static final class Run {
        private final BenchStack stack;
        private final SseClient sse;
        private final String tenant;
        private final String token;
        private final int maxInFlight;
        private final Map<Integer, Long> dueWallNanos = new ConcurrentHashMap<>();
        private final Map<Integer, Long> delivered = new ConcurrentHashMap<>();
        private int readUpTo;
        private final long wallBase = epochNanos(Instant.now());
        private final long nanoBase = System.nanoTime();

        Run(BenchStack stack, SseClient sse, String tenant, String token, int maxInFlight) {
            this.stack = stack;
            this.sse = sse;
            this.tenant = tenant;
            this.token = token;
            this.maxInFlight = maxInFlight;
        }

        Phase phase(int from, int count, int rate) throws InterruptedException {
            Phase phase = new Phase(from, count);
            AtomicInteger inFlight = new AtomicInteger();
            long period = 1_000_000_000L / rate;
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            phase.startedAtMillis = System.currentTimeMillis() + 20;
            for (int i = 0; i < count; i++) {
                int n = from + i;
                long due = start + i * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (inFlight.get() >= maxInFlight) {
                    phase.skipped.incrementAndGet();
                    continue;
                }
                inFlight.incrementAndGet();
                dueWallNanos.put(n, wallBase + (due - nanoBase));
                phase.sent.incrementAndGet();
                stack.post(tenant, token, "bench-" + n).whenComplete((status, error) -> {
                    long took = System.nanoTime() - due;
                    inFlight.decrementAndGet();
                    if (error == null && status == 202) {
                        phase.ack[n - from] = Math.max(1, took);
                        phase.accepted.incrementAndGet();
                    } else {
                        String why = error != null ? rootCause(error) : "HTTP " + status;
                        phase.failed.computeIfAbsent(why, k -> new AtomicInteger()).incrementAndGet();
                    }
                });
                if ((i & 63) == 0) {
                    drain(); // read the stream as we go so that its buffer never holds the whole run
                }
            }
            phase.sendSeconds = (System.nanoTime() - start) / 1e9;
            // the answers, then the deliveries (bounded: at most 30 s after the last POST)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            while (System.nanoTime() < deadline) {
                drain();
                long missing = IntStream.range(0, count).filter(i -> phase.ack[i] > 0 && !delivered.containsKey(from + i)).count();
                if (missing == 0) {
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            drain();
            for (int i = 0; i < count; i++) {
                Long took = delivered.get(from + i);
                phase.sseAt[i] = took == null ? 0 : took;
            }
            phase.sse = Percentiles.ofNanos(Arrays.stream(phase.sseAt).filter(v -> v > 0).toArray());
            phase.lost = IntStream.range(0, count).filter(i -> phase.ack[i] > 0 && !delivered.containsKey(from + i)).count();
            return phase;
        }

        private synchronized void drain() {
            List<SseClient.Event> events = sse.events();
            for (int i = readUpTo; i < events.size(); i++) {
                SseClient.Event e = events.get(i);
                if (!e.event().equals("activity.event.created")) {
                    continue;
                }
                Matcher m = TITLE.matcher(e.data());
                if (m.find()) {
                    int n = Integer.parseInt(m.group(1));
                    Long due = dueWallNanos.get(n);
                    if (due != null) {
                        delivered.putIfAbsent(n, Math.max(1, epochNanos(e.receivedAt()) - due));
                    }
                }
            }
            readUpTo = events.size();
        }
    }

    private static final class Phase {
        final int from;
        final long[] ack;
        // POST -> SSE of each event of the phase (0: not delivered)
        final long[] sseAt;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicLong accepted = new AtomicLong();
        final Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();
        double sendSeconds;
        // wall-clock time of the first POST, to line the slow seconds up with other logs
        long startedAtMillis;
        Percentiles sse;
        long lost;

        Phase(int from, int count) {
            this.from = from;
            this.ack = new long[count];
            this.sseAt = new long[count];
        }

        void print(int rate, int seconds) {
            System.out.printf("  offered %d/s for %d s: %d POSTs sent in %.1f s, %d skipped (over the in-flight cap), %d not 202   [%s]%n",
                    rate, seconds, sent.get(), sendSeconds, skipped.get(),
                    failed.values().stream().mapToInt(AtomicInteger::get).sum(), LoadAverage.now());
            failed.forEach((why, n) -> System.out.printf("    %d x %s%n", n.get(), why));
            System.out.printf("  ingest accepted %.0f events/s (202s per second of sending)   [%s]%n",
                    accepted.get() / sendSeconds, LoadAverage.now());
            System.out.printf("  POST -> 202: %s   [%s]%n", Percentiles.ofNanos(Arrays.stream(ack).filter(v -> v > 0).toArray()),
                    LoadAverage.now());
            System.out.printf("  POST -> SSE: %s, lost (202 but not on the stream 30 s after the last POST): %d   [%s]%n",
                    sse, lost, LoadAverage.now());
            // when the slow deliveries happened: a stall shows as a run of slow seconds, a period as a pattern
            StringBuilder worst = new StringBuilder();
            for (int second = 0; second * rate < sseAt.length; second++) {
                long max = 0;
                for (int i = second * rate; i < Math.min(sseAt.length, (second + 1) * rate); i++) {
                    max = Math.max(max, sseAt[i]);
                }
                worst.append(' ').append(max / 1_000_000);
            }
            System.out.printf("  POST -> SSE, slowest of each second of sending from %s (ms):%s%n",
                    LocalTime.ofInstant(Instant.ofEpochMilli(startedAtMillis), ZoneId.systemDefault()), worst);
        }

        /** The size of a record ingest writes for these events (one read back from activity.raw is not needed: same shape). */
        int recordBytes(BenchStack stack) {
            return BenchStack.sampleRecord("bench-xxxxxxxx").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
    }

    private static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String abbreviate(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }
}
