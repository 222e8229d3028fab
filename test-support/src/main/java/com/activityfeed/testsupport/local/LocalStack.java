package com.activityfeed.testsupport.local;

import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The whole system on one machine (./run.sh): PostgreSQL, Kafka, the three packaged services on
 * the documented ports, a demo producer; prints URLs, the JWT secret, tokens and curl commands.
 * Ctrl-C stops everything and deletes the throwaway data.
 */
public final class LocalStack {
    private static final String TENANT = "demo";

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        int ingestPort = port("INGEST_PORT", 8081);
        int feedPort = port("FEED_PORT", 8082);
        int socialPort = port("SOCIAL_PORT", 8083);
        int pgPort = port("LOCAL_PG_PORT", 15432);
        int kafkaPort = port("LOCAL_KAFKA_PORT", 19092);
        int controllerPort = port("LOCAL_KAFKA_CONTROLLER_PORT", 19093);
        for (int p : List.of(ingestPort, feedPort, socialPort, pgPort, kafkaPort, controllerPort)) {
            if (Ports.listening(p)) {
                fail("port " + p + " is already in use (another local run still going?); set the *_PORT variables to move");
            }
        }
        String secret = System.getenv().getOrDefault("JWT_SECRET", "");
        if (secret.isBlank()) {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            secret = "local-" + HexFormat.of().formatHex(bytes);
        } else if (secret.length() < 32) {
            fail("JWT_SECRET must be at least 32 characters");
        }

        Path root = Infra.root();
        Path logs = root.resolve(".local/logs");
        // Under /tmp, not the checkout: the postgres user must be able to reach its data directory.
        Path data = Path.of(System.getenv().getOrDefault("LOCAL_DATA_DIR", "/tmp/afp-local"));
        deleteQuietly(data);
        Files.createDirectories(logs);
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        List<AutoCloseable> running = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping…");
            for (int i = running.size() - 1; i >= 0; i--) {
                try {
                    running.get(i).close();
                } catch (Exception e) {
                    System.err.println("while stopping: " + e);
                }
            }
            deleteQuietly(data);
            System.out.println("Stopped. Logs are in " + logs);
            stopped.countDown();
        }, "local-stack-stop"));

        step("Starting PostgreSQL (:" + pgPort + ") and Kafka (:" + kafkaPort + ")");
        Infra infra = Infra.create(data, pgPort, kafkaPort, controllerPort, false);
        running.add(infra);

        step("Starting ingest-service (:" + ingestPort + "), feed-service (:" + feedPort + "), social-service (:" + socialPort + ")");
        Map<String, String> ingestEnv = ServiceProcess.environment(infra, null, secret);
        Map<String, String> feedEnv = ServiceProcess.environment(infra, "feed", secret);
        Map<String, String> socialEnv = ServiceProcess.environment(infra, "social", secret);
        ServiceProcess ingest = ServiceProcess.start("ingest-service", ingestPort, ingestEnv, logs);
        running.add(ingest);
        ServiceProcess feed = ServiceProcess.start("feed-service", feedPort, feedEnv, logs);
        running.add(feed);
        ServiceProcess social = ServiceProcess.start("social-service", socialPort, socialEnv, logs);
        running.add(social);

        Duration ttl = Duration.ofHours(12);
        String reader = TestTokens.mint(secret, TestTokens.ISSUER, "ada", TENANT, "Ada Lovelace", List.of("reader"), ttl);
        String reader2 = TestTokens.mint(secret, TestTokens.ISSUER, "grace", TENANT, "Grace Hopper", List.of("reader"), ttl);
        String producer = TestTokens.mint(secret, TestTokens.ISSUER, "demo-producer", TENANT, "Demo producer", List.of("ingest"), ttl);
        String admin = TestTokens.mint(secret, TestTokens.ISSUER, "ops", TENANT, "Operator", List.of("admin", "reader"), ttl);

        step("Starting the demo producer (tenant '" + TENANT + "')");
        DemoProducer demo = new DemoProducer(ingest.url(""), producer);
        demo.start();
        running.add(demo);

        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        String feedUrl = feed.url("");
        String ingestUrl = ingest.url("");
        System.out.printf("""

                ================================================================================
                 Activity feed platform is running (started in %d s). Ctrl-C stops everything.
                ================================================================================
                 ingest-service  %s   (POST /api/v1/events, /api/v1/webhooks/…)
                 feed-service    %s   (GET /api/v1/feed, /api/v1/feed/stream)
                 social-service  %s   (/api/v1/tiles/…, /api/v1/chat/…)
                 OpenAPI         %s/q/openapi  (same path on every service)
                 Health          %s/q/health/ready
                 PostgreSQL      jdbc:postgresql://127.0.0.1:%d/{feed,social}  user postgres
                 Kafka           127.0.0.1:%d
                 Logs            %s

                 JWT_SECRET=%s
                 READER_TOKEN=%s
                 READER2_TOKEN=%s
                 INGEST_TOKEN=%s
                 ADMIN_TOKEN=%s

                 Read the demo feed:
                   curl -s -H "Authorization: Bearer %s" %s/api/v1/feed
                 Post an event:
                   curl -s -X POST -H "Authorization: Bearer %s" -H "Content-Type: application/json" \\
                     -d '{"type":"badge_earned","actor":{"id":"alan","name":"Alan Turing"},"entity":{"type":"badge","id":"night-owl","name":"Night Owl"}}' \\
                     %s/api/v1/events
                ================================================================================
                """, seconds, ingestUrl, feedUrl, social.url(""), feedUrl, feedUrl, pgPort, kafkaPort, logs,
                secret, reader, reader2, producer, admin, reader, feedUrl, producer, ingestUrl);
        stopped.await();
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            fail(variable + " must be a port number, not '" + value + "'");
            return fallback;
        }
    }

    private static void step(String message) {
        System.out.println("==> " + message);
    }

    private static void fail(String message) {
        System.err.println("run.sh: " + message);
        System.exit(2);
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
