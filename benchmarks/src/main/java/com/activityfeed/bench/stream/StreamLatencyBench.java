package com.activityfeed.bench.stream;

import com.activityfeed.bench.Percentiles;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPEC P2: ingest POST to SSE delivery at a steady rate (default 1,000 events/s for 20 s, after a
 * 5 s warm-up at the same rate). Each event is titled with its number; the clock starts just
 * before its POST is sent and stops when its {@code activity.event.created} is read from one open
 * stream on the feed service. Also prints the feed's own delivery-latency percentiles (ingest
 * receivedAt to write). Arguments: [events/s] [seconds].
 */
public final class StreamLatencyBench {
    private static final int MAX_IN_FLIGHT = 64;
    private static final Pattern TITLE = Pattern.compile("\"bench-(\\d+)\"");

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = rate * 5;
        int total = warmup + rate * seconds;
        try (BenchStack stack = new BenchStack("512m")) {
            String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            String producer = TestTokens.ingest(tenant);
            long[] sentAt = new long[total];
            long[] latency = new long[total];
            ConcurrentHashMap<Integer, Boolean> failed = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, AtomicInteger> failures = new ConcurrentHashMap<>();
            try (SseClient sse = SseClient.to(stack.feed.url("/api/v1/feed/stream"))
                    .bearer(TestTokens.reader(tenant, "watcher")).connect()) {
                sse.awaitEvent("feed.connected", Duration.ofSeconds(10));
                AtomicInteger next = new AtomicInteger();
                AtomicInteger skipped = new AtomicInteger();
                java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
                ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
                long periodNanos = 1_000_000_000L / rate;
                pacer.scheduleAtFixedRate(() -> {
                    int n = next.getAndIncrement();
                    if (n >= total) {
                        return;
                    }
                    if (!inFlight.tryAcquire()) {
                        // the load generator never queues without bound: a tick with no free slot is skipped
                        skipped.incrementAndGet();
                        return;
                    }
                    sentAt[n] = System.nanoTime();
                    stack.post(tenant, producer, "bench-" + n).whenComplete((status, error) -> {
                        inFlight.release();
                        if (error != null || status != 202) {
                            failed.put(n, true);
                            String why = error != null ? rootCause(error) : "HTTP " + status;
                            failures.computeIfAbsent(why, k -> new AtomicInteger()).incrementAndGet();
                        }
                    });
                }, 0, periodNanos, TimeUnit.NANOSECONDS);
                long started = System.nanoTime();
                int seen = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 5 + 60);
                int lastIndex = 0;
                while ((next.get() < total || seen < total - failed.size() - skipped.get()) && System.nanoTime() < deadline) {
                    List<SseClient.Event> events;
                    try {
                        events = sse.awaitEvents(lastIndex + 1, e -> true, Duration.ofSeconds(next.get() < total ? 60 : 30));
                    } catch (AssertionError timeout) {
                        break;
                    }
                    for (int i = lastIndex; i < events.size(); i++) {
                        SseClient.Event e = events.get(i);
                        Matcher m = TITLE.matcher(e.data());
                        if (e.event().equals("activity.event.created") && m.find()) {
                            int n = Integer.parseInt(m.group(1));
                            // receivedAt is wall-clock; convert through the offset measured now
                            long receivedNanos = System.nanoTime()
                                    - Duration.between(e.receivedAt(), java.time.Instant.now()).toNanos();
                            latency[n] = Math.max(1, receivedNanos - sentAt[n]);
                            seen++;
                        }
                    }
                    lastIndex = events.size();
                }
                pacer.shutdownNow();
                double elapsed = (System.nanoTime() - started) / 1e9;
                long[] measured = java.util.stream.IntStream.range(warmup, total)
                        .filter(i -> latency[i] > 0).mapToLong(i -> latency[i]).toArray();
                int missing = (int) java.util.stream.IntStream.range(warmup, total)
                        .filter(i -> sentAt[i] > 0 && !failed.containsKey(i) && latency[i] == 0).count();
                int sent = total - skipped.get();
                System.out.printf("P2 stream latency: %d events/s offered for %d s (+5 s warm-up), %d POSTs sent (%d skipped: %d already in flight), %d failed, %.1f s in all%n",
                        rate, seconds, sent, skipped.get(), MAX_IN_FLIGHT, failed.size(), elapsed);
                System.out.printf("  achieved: %.0f events/s accepted by ingest%n", (sent - failed.size()) / elapsed);
                System.out.printf("  POST -> SSE (client clock): %s, not delivered: %d%n", Percentiles.ofNanos(measured), missing);
                failures.forEach((why, count) -> System.out.printf("  POST failed %d times: %s%n", count.get(), why));
                System.out.println("  feed-service feed_stream_delivery_latency (ingest receivedAt -> write):");
                System.out.print(stack.metric("feed_stream_delivery_latency_seconds{").replaceAll("(?m)^", "    "));
                System.out.println("  feed-service feed_stream_fanout_latency (change commit -> write: relay, Kafka, fan-out):");
                System.out.print(stack.metric("feed_stream_fanout_latency_seconds{").replaceAll("(?m)^", "    "));
                boolean met = measured.length > 0 && missing == 0 && skipped.get() == 0 && failed.isEmpty()
                        && Percentiles.ofNanos(measured).p99() < 50;
                System.out.printf("  target p99 < 50 ms with every event delivered: %s%n", met ? "met" : "NOT met");
            }
        }
        System.exit(0);
    }
}
