package com.activityfeed.bench.feed;

import com.activityfeed.bench.Percentiles;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.PostgresServer;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPEC P4: p50/p99 of {@code GET /api/v1/feed} and {@code unread-count} with 1,000,000 tiles in
 * the tenant. Starts PostgreSQL, Kafka and the packaged feed-service, seeds the dataset with
 * {@link FeedDataset}, warms up, then times sequential requests over HTTP on the loopback (the
 * client's time, so it includes HTTP, auth and JSON). Target: p99 < 20 ms.
 */
public final class FeedQueryBenchmark {
    private static final int WARMUP = 200;
    private static final int RUNS = 1000;
    private static final Pattern NEXT = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");

    private FeedQueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Infra infra = Infra.shared();
        try (ServiceProcess feed = ServiceProcess.start("feed-service", Ports.free(),
                ServiceProcess.environment(infra, "feed", TestTokens.SECRET),
                Infra.root().resolve("benchmarks/target/service-logs"))) {
            long seedStart = System.nanoTime();
            FeedDataset.create(infra.jdbcUrl("feed"), PostgresServer.USER);
            System.out.printf("dataset: %d tiles seeded in %.1f s%n", FeedDataset.TILES,
                    (System.nanoTime() - seedStart) / 1e9);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String fresh = TestTokens.reader(FeedDataset.TENANT, "fresh");
            String reader = TestTokens.reader(FeedDataset.TENANT, "reader");
            Map<String, String[]> cases = new LinkedHashMap<>();
            cases.put("feed, first page (20)", new String[]{fresh, "/api/v1/feed"});
            cases.put("feed, limit=100", new String[]{fresh, "/api/v1/feed?limit=100"});
            cases.put("feed, deep page via cursor", new String[]{fresh, null});
            cases.put("feed, types+source filter", new String[]{fresh, "/api/v1/feed?types=xp_rank_up&source=api"});
            cases.put("feed, actorId filter", new String[]{fresh, "/api/v1/feed?actorId=u42"});
            cases.put("feed, unread=true (reader)", new String[]{reader, "/api/v1/feed?unread=true"});
            cases.put("unread-count, nothing read (capped)", new String[]{fresh, "/api/v1/feed/unread-count"});
            cases.put("unread-count, reader", new String[]{reader, "/api/v1/feed/unread-count"});
            cases.put("unread-count, reader, types filter", new String[]{reader, "/api/v1/feed/unread-count?types=badge_earned"});
            String deep = deepCursor(http, feed, fresh);
            for (Map.Entry<String, String[]> c : cases.entrySet()) {
                String path = c.getValue()[1] == null ? "/api/v1/feed?cursor=" + deep : c.getValue()[1];
                HttpRequest request = HttpRequest.newBuilder(URI.create(feed.url(path)))
                        .header("Authorization", "Bearer " + c.getValue()[0]).timeout(Duration.ofSeconds(10)).build();
                for (int i = 0; i < WARMUP; i++) {
                    check(http.send(request, HttpResponse.BodyHandlers.ofString()));
                }
                long[] nanos = new long[RUNS];
                String body = null;
                for (int i = 0; i < RUNS; i++) {
                    long t = System.nanoTime();
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    nanos[i] = System.nanoTime() - t;
                    body = check(r);
                }
                Percentiles p = Percentiles.ofNanos(nanos);
                System.out.printf("%-40s %s  p99 %s 20 ms  (answer: %s)%n", c.getKey(), p, p.p99() < 20 ? "<" : ">=",
                        body.length() > 60 ? body.length() + " bytes" : body);
            }
        }
        infra.close();
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
