package com.activityfeed.bench.feed;

import com.activityfeed.bench.CpuShares;
import com.activityfeed.bench.FlightRecording;
import com.activityfeed.bench.Percentiles;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.PostgresServer;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPEC P4: {@code GET /api/v1/feed} and {@code unread-count} on 1,000,000 tiles in the tenant,
 * with {@value #READERS} concurrent readers. Starts PostgreSQL, Kafka and the packaged
 * feed-service, seeds the dataset with {@link FeedDataset}, then for each case warms up and lets
 * the readers send {@value #PER_READER} requests each over HTTP on the loopback (the client's
 * time: HTTP, auth, SQL, JSON). Prints p50/p90/p99/max, pages per second and the load average
 * per case. Targets: p99 < 20 ms and at least 1,500 pages/s.
 *
 * <p>Cases: plain pages (20, 100, deep cursor); filters that match often, rarely and never
 * (types, source, priority, tags, actorId, entity, a time range); {@code unread=true};
 * {@code following=true} for a user following 1,000 targets; unread counts under the same filters.
 *
 * <p>Options: {@code -Dcases=REGEX} runs only the cases whose name matches; {@code -Dcpu=true}
 * prints each case's CPU by process ({@link CpuShares}: feed, PostgreSQL, this client) per request;
 * {@code -Djfr=FILE} records the feed process (JFR, profile settings); {@code -Dwarmup=N} sends N
 * warm-up requests per case instead of 100 (the JIT compiles a request's path after some thousands).
 */
public final class FeedQueryBenchmark {
    private static final int READERS = 8;
    private static final int WARMUP = Integer.getInteger("warmup", 100);
    private static final int PER_READER = 250;
    private static final Pattern NEXT = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");

    private FeedQueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Infra infra = Infra.shared();
        Map<String, String> env = ServiceProcess.environment(infra, "feed", TestTokens.SECRET);
        FlightRecording.ifAsked("jfr", env);
        Pattern selected = Pattern.compile(System.getProperty("cases", ".*"));
        try (ServiceProcess feed = ServiceProcess.start("feed-service", Ports.free(), env,
                Infra.root().resolve("benchmarks/target/service-logs"))) {
            long seedStart = System.nanoTime();
            FeedDataset.create(infra.jdbcUrl("feed"), PostgresServer.USER);
            System.out.printf("dataset: %d tiles seeded in %.1f s%n", FeedDataset.TILES,
                    (System.nanoTime() - seedStart) / 1e9);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String fresh = TestTokens.reader(FeedDataset.TENANT, "fresh");
            String reader = TestTokens.reader(FeedDataset.TENANT, "reader");
            String follower = TestTokens.reader(FeedDataset.TENANT, "follower");
            String deep = deepCursor(http, feed, fresh);
            Map<String, String[]> cases = new LinkedHashMap<>();
            cases.put("feed, first page (20)", new String[]{fresh, "/api/v1/feed"});
            cases.put("feed, limit=100", new String[]{fresh, "/api/v1/feed?limit=100"});
            cases.put("feed, deep page via cursor", new String[]{fresh, "/api/v1/feed?cursor=" + deep});
            cases.put("feed, types+source (often)", new String[]{fresh, "/api/v1/feed?types=xp_rank_up&source=api"});
            cases.put("feed, priority=high (1 in 50)", new String[]{fresh, "/api/v1/feed?priority=high&limit=100"});
            cases.put("feed, actorId (1 in 500)", new String[]{fresh, "/api/v1/feed?actorId=u42&limit=100"});
            cases.put("feed, entity (1 in 5000)", new String[]{fresh, "/api/v1/feed?entityType=deal&entityId=d42&limit=100"});
            cases.put("feed, types matching nothing", new String[]{fresh, "/api/v1/feed?types=never.happens&limit=100"});
            cases.put("feed, actorId matching nothing", new String[]{fresh, "/api/v1/feed?actorId=nobody"});
            cases.put("feed, tags matching nothing", new String[]{fresh, "/api/v1/feed?tags=no-team"});
            cases.put("feed, source+priority matching nothing", new String[]{fresh, "/api/v1/feed?source=nowhere&priority=urgent"});
            cases.put("feed, time range matching nothing", new String[]{fresh, "/api/v1/feed?to=2000-01-01T00:00:00Z"});
            cases.put("feed, unread=true (reader)", new String[]{reader, "/api/v1/feed?unread=true&limit=100"});
            cases.put("feed, following=true (1000 follows)", new String[]{follower, "/api/v1/feed?following=true"});
            cases.put("feed, following=true, limit=100", new String[]{follower, "/api/v1/feed?following=true&limit=100"});
            cases.put("feed, following=true + types", new String[]{follower, "/api/v1/feed?following=true&types=tasks_burst"});
            cases.put("feed, sort=activity", new String[]{fresh, "/api/v1/feed?sort=activity"});
            cases.put("feed, sort=activity, limit=100", new String[]{fresh, "/api/v1/feed?sort=activity&limit=100"});
            cases.put("feed, sort=activity + actorId (1 in 500)", new String[]{fresh, "/api/v1/feed?sort=activity&actorId=u42&limit=100"});
            cases.put("feed, sort=activity + following=true", new String[]{follower, "/api/v1/feed?sort=activity&following=true"});
            cases.put("unread-count, nothing read (capped)", new String[]{fresh, "/api/v1/feed/unread-count"});
            cases.put("unread-count, reader", new String[]{reader, "/api/v1/feed/unread-count"});
            cases.put("unread-count, reader, types", new String[]{reader, "/api/v1/feed/unread-count?types=badge_earned"});
            cases.put("unread-count, fresh, matching nothing", new String[]{fresh, "/api/v1/feed/unread-count?actorId=nobody"});
            cases.put("unread-count, fresh, actorId (1 in 500)", new String[]{fresh, "/api/v1/feed/unread-count?actorId=u42"});
            cases.put("unread-count, following=true", new String[]{follower, "/api/v1/feed/unread-count?following=true"});
            System.out.printf("%d readers, %d requests each per case after %d warm-up requests%n", READERS, PER_READER, WARMUP);
            ExecutorService pool = Executors.newFixedThreadPool(READERS);
            try {
                for (Map.Entry<String, String[]> c : cases.entrySet()) {
                    if (!selected.matcher(c.getKey()).find()) {
                        continue;
                    }
                    run(http, pool, feed, c.getKey(), c.getValue()[0], c.getValue()[1]);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        infra.close();
    }

    private static void run(HttpClient http, ExecutorService pool, ServiceProcess feed, String name, String token,
                            String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(feed.url(path)))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build();
        String body = "";
        for (int i = 0; i < WARMUP; i++) {
            body = check(http.send(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<Future<long[]>> readers = new ArrayList<>();
        CpuShares cpuBefore = CpuShares.snapshot(0, feed.port());
        long start = System.nanoTime();
        for (int r = 0; r < READERS; r++) {
            readers.add(pool.submit(() -> {
                long[] nanos = new long[PER_READER];
                for (int i = 0; i < PER_READER; i++) {
                    long t = System.nanoTime();
                    check(http.send(request, HttpResponse.BodyHandlers.ofString()));
                    nanos[i] = System.nanoTime() - t;
                }
                return nanos;
            }));
        }
        long[] all = new long[READERS * PER_READER];
        for (int r = 0; r < READERS; r++) {
            System.arraycopy(readers.get(r).get(), 0, all, r * PER_READER, PER_READER);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuShares cpuAfter = CpuShares.snapshot(0, feed.port());
        Percentiles p = Percentiles.ofNanos(all);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf("%-42s %s  %6.0f pages/s  load %.2f  p99 %s 20 ms  (answer: %s)%n", name, p,
                all.length / seconds, load, p.p99() < 20 ? "<" : ">=",
                body.length() > 60 ? body.length() + " bytes" : body);
        if (Boolean.getBoolean("cpu")) {
            System.out.print(cpuAfter.table(cpuBefore, all.length, "    ").replace("per event", "per request"));
        }
    }

    /** A cursor 5,000 tiles deep (cursors are opaque, so it pages there with limit=100). */
    private static String deepCursor(HttpClient http, ServiceProcess feed, String token) throws Exception {
        String cursor = null;
        for (int i = 0; i < 50; i++) {
            String path = "/api/v1/feed?limit=100" + (cursor == null ? "" : "&cursor=" + cursor);
            String body = check(http.send(HttpRequest.newBuilder(URI.create(feed.url(path)))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
            Matcher m = NEXT.matcher(body);
            if (!m.find()) {
                break;
            }
            cursor = m.group(1);
        }
        return cursor;
    }

    private static String check(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
