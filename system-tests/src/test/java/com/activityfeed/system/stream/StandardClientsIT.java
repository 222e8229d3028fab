package com.activityfeed.system.stream;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.PostgresServer;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §2 and R2 with standard clients and no reconnect code of ours: the {@code eventsource} npm
 * package (bearer token, or ticket plus the stream cookie) and Chromium's native EventSource
 * (ticket plus cookie) stream through a proxy in front of two feed replicas. The proxy drops the
 * connection, then the replica serving it is killed with SIGKILL, while events keep arriving; each
 * time the client reconnects by itself (same URL, {@code Last-Event-ID}) and ends with every
 * change of the tenant exactly once and in order. Node and Chromium come from
 * {@code src/test/browser/setup.sh}.
 */
class StandardClientsIT {
    private static final Path BROWSER_DIR = Infra.root().resolve("system-tests/src/test/browser");
    private static final Path LOGS = Infra.root().resolve("system-tests/target/service-logs");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> CLIENTS = List.of("eventsource-bearer", "eventsource-ticket", "chromium");
    private static final List<Throwable> POST_FAILURES = new CopyOnWriteArrayList<>();
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        assertThat(BROWSER_DIR.resolve("node_modules/eventsource")).as("eventsource is installed: run setup.sh").exists();
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium is installed: run setup.sh").exists();
        system = SystemUnderTest.get();
    }

    @Test
    void standardClientsResumeByThemselvesAcrossADroppedConnectionAndAReplicaKill() throws Exception {
        String tenant = "std-" + UUID.randomUUID().toString().substring(0, 8);
        // one replica to kill, started once for all three clients: starting one is slow on a loaded machine
        ServiceProcess victim = ServiceProcess.start("feed-service", Ports.free(),
                ServiceProcess.environment(system.infra, "feed", TestTokens.SECRET), LOGS);
        AtomicBoolean posting = new AtomicBoolean(true);
        AtomicInteger posted = new AtomicInteger();
        List<Throwable> postFailures = POST_FAILURES;
        Thread poster = Thread.ofVirtual().unstarted(() -> {
            while (posting.get()) {
                try {
                    post(tenant, posted.get());
                    posted.incrementAndGet();
                    Thread.sleep(60);
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable e) {
                    postFailures.add(e);
                    posting.set(false);
                    return;
                }
            }
        });
        List<Client> clients = new ArrayList<>();
        try (CuttingProxy proxy = new CuttingProxy(List.of(victim.port(), system.feed.port()))) {
            for (String name : CLIENTS) {
                clients.add(Client.start(name, proxy.url(), TestTokens.reader(tenant, "ann")));
            }
            awaitAll(clients, Duration.ofSeconds(90), c -> c.count("feed.connected") == 1);
            poster.start();
            awaitAll(clients, Duration.ofSeconds(120), c -> postFailures.isEmpty() && c.ids().size() >= 10);
            proxy.cut();
            awaitAll(clients, Duration.ofSeconds(120), c -> c.count("feed.connected") == 2);
            int[] before = clients.stream().mapToInt(c -> c.ids().size()).toArray();
            awaitAll(clients, Duration.ofSeconds(120), c -> c.ids().size() >= before[clients.indexOf(c)] + 10);
            victim.kill();
            awaitAll(clients, Duration.ofSeconds(120), c -> c.count("feed.connected") == 3);
            int[] afterKill = clients.stream().mapToInt(c -> c.ids().size()).toArray();
            awaitAll(clients, Duration.ofSeconds(120), c -> c.ids().size() >= afterKill[clients.indexOf(c)] + 10);
            posting.set(false);
            poster.join(Duration.ofSeconds(20));
            assertThat(postFailures).isEmpty();
            int total = posted.get();
            awaitAll(clients, Duration.ofSeconds(120), c -> c.count("activity.event.created") >= total
                    && !c.ids().isEmpty() && c.ids().getLast() == lastSeq(tenant));

            long last = lastSeq(tenant);
            SoftAssertions soft = new SoftAssertions();
            for (Client c : clients) {
                soft.assertThat(c.ids()).as("%s: every change once, in order:%n%s", c.name, c.transcript())
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
                soft.assertThat(c.count("activity.event.created")).as(c.name).isEqualTo(total);
                soft.assertThat(c.count("feed.connected")).as("%s: two reconnects, made by the client itself", c.name).isEqualTo(3);
                soft.assertThat(c.count("feed.snapshot-required")).as(c.name).isZero();
                soft.assertThat(c.lines()).as("%s: every event is named, onmessage never fires", c.name)
                        .noneMatch(l -> l.startsWith("UNNAMED"));
                soft.assertThat(c.lines()).as("%s: the client never gave up (readyState CLOSED)", c.name).doesNotContain("ERROR 2");
            }
            soft.assertAll();
        } finally {
            posting.set(false);
            poster.interrupt();
            victim.kill();
            for (Client c : clients) {
                c.close();
            }
        }
    }

    private static void awaitAll(List<Client> clients, Duration timeout, ThrowingPredicate<Client> condition) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (Client c : clients) {
                    if (!condition.test(c)) {
                        return false;
                    }
                }
                return true;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder out = new StringBuilder(e.getMessage());
            POST_FAILURES.forEach(f -> out.append("\nposting failed: ").append(f));
            clients.forEach(c -> out.append("\n---- ").append(c.name).append(" ----\n").append(c.transcript()));
            throw new AssertionError(out.toString(), e);
        }
    }

    @FunctionalInterface
    private interface ThrowingPredicate<T> {
        boolean test(T value) throws Exception;
    }

    /** The node process running one standard client; its stdout lines are the events it received. */
    private static final class Client {
        private final String name;
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private Client(String name, Process process) {
            this.name = name;
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
        }

        static Client start(String client, String feedUrl, String token) throws IOException {
            ProcessBuilder builder = new ProcessBuilder("node", "standard-clients.mjs", client)
                    .directory(BROWSER_DIR.toFile()).redirectErrorStream(true);
            builder.environment().put("FEED_URL", feedUrl);
            builder.environment().put("READER_TOKEN", token);
            return new Client(client, builder.start());
        }

        List<String> lines() {
            return lines;
        }

        long count(String event) {
            return lines.stream().filter(l -> l.startsWith("EVENT ") && l.endsWith(" " + event)).count();
        }

        /**
         * The ids of the events that carry one: {@code feed.connected} and {@code feed.unread} have
         * none (SPEC §5), and an EventSource reports the last id it saw as their {@code lastEventId}.
         */
        List<Long> ids() {
            return lines.stream().filter(l -> l.startsWith("EVENT ")).map(l -> l.split(" "))
                    .filter(p -> !p[2].equals("feed.connected") && !p[2].equals("feed.unread") && !p[1].equals("-"))
                    .map(p -> Long.parseLong(p[1])).toList();
        }

        String transcript() {
            return String.join("\n", lines);
        }

        void close() throws IOException, InterruptedException {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            Files.createDirectories(LOGS);
            Files.writeString(LOGS.resolve("standard-client-" + name + ".log"), transcript());
        }
    }

    /** Posts event {@code n}, retrying as a producer would; its idempotency key keeps a retry from doubling it. */
    private static void post(String tenant, int n) throws Exception {
        AssertionError last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                postOnce(tenant, n);
                return;
            } catch (AssertionError | IOException e) {
                last = new AssertionError("event " + n + ": " + e.getMessage(), e);
                Thread.sleep(500);
            }
        }
        throw last;
    }

    private static void postOnce(String tenant, int n) throws Exception {
        // high priority: never grouped, so every event is one activity.event.created (SPEC §4)
        String body = """
                {"type":"badge_earned","priority":"high","actor":{"id":"ada","name":"Ada"},"title":"Badge %d",
                 "idempotencyKey":"std-%d"}""".formatted(n, n);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.ingest.url("/api/v1/events")))
                .header("Authorization", "Bearer " + TestTokens.ingest(tenant))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new AssertionError("ingest answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static long lastSeq(String tenant) throws Exception {
        try (Connection c = DriverManager.getConnection(system.infra.jdbcUrl("feed"), PostgresServer.USER, "");
             PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM change_log WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
