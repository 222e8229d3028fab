package com.activityfeed.bench.feed;

import com.activityfeed.messages.Actor;
import com.activityfeed.messages.EntityRef;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.PostgresServer;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * SPEC P5: events persisted and grouped per second by one feed-service instance. Publishes
 * {@code N} events (20 tenants, six types, 5-minute windows so that most events grow groups and
 * some stay single, every tenth one high priority) to activity.raw before the service starts,
 * then starts the packaged feed-service and measures the span from the first to the last stored
 * event (stored_at is the commit transaction's time). Target: ≥ 5,000 events/s.
 */
public final class FeedConsumerBenchmark {
    private FeedConsumerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Infra infra = Infra.shared();
        String run = UUID.randomUUID().toString().substring(0, 6);
        String[] types = {"badge_earned", "xp_rank_up", "challenge_completed", "streak_milestone", "tasks_burst",
                "all_tasks_cleared"};
        Random random = new Random(1);
        Instant t0 = Instant.now().minusSeconds(86_400);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (int i = 0; i < n; i++) {
                String tenant = "p5-" + run + "-" + (i % 20);
                RawEvent e = new RawEvent(RawEvent.VERSION, UUID.randomUUID(), tenant, types[random.nextInt(6)],
                        new Actor("u" + random.nextInt(200), "User"), new EntityRef("deal", "d" + random.nextInt(1000), null),
                        t0.plusMillis(i * 20L), Instant.now(), null, null, "api",
                        i % 10 == 0 ? Priority.HIGH : Priority.NORMAL, List.of("team"), null, null, null, null, null);
                producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, MessageCodec.write(e)));
            }
            producer.flush();
        }
        System.out.printf("published %d events to %s%n", n, Topics.ACTIVITY_RAW);
        Map<String, String> env = ServiceProcess.environment(infra, "feed", TestTokens.SECRET);
        String recording = System.getProperty("jfr");
        if (recording != null) {
            // -Djfr=/tmp/p5.jfr: a flight recording of the feed process while it consumes
            env.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
        }
        long start;
        long stored;
        try (ServiceProcess feed = ServiceProcess.start("feed-service", Ports.free(), env,
                Infra.root().resolve("benchmarks/target/service-logs"));
             Connection c = DriverManager.getConnection(infra.jdbcUrl("feed"), PostgresServer.USER, "");
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM event WHERE tenant_id LIKE ?")) {
            start = System.nanoTime();
            count.setString(1, "p5-" + run + "-%");
            long deadline = start + 600_000_000_000L;
            do {
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    stored = rs.getLong(1);
                }
                if (stored < n) {
                    Thread.sleep(200);
                }
            } while (stored < n && System.nanoTime() < deadline);
            // the span between the first and the last commit, so the service's start-up does not count
            double seconds;
            try (PreparedStatement span = c.prepareStatement(
                    "SELECT extract(epoch FROM max(stored_at) - min(stored_at)) FROM event WHERE tenant_id LIKE ?")) {
                span.setString(1, "p5-" + run + "-%");
                try (ResultSet rs = span.executeQuery()) {
                    rs.next();
                    seconds = rs.getDouble(1);
                }
            }
            try (PreparedStatement tiles = c.prepareStatement(
                    "SELECT kind, count(*), sum(count) FROM tile WHERE tenant_id LIKE ? GROUP BY kind")) {
                tiles.setString(1, "p5-" + run + "-%");
                try (ResultSet rs = tiles.executeQuery()) {
                    while (rs.next()) {
                        System.out.printf("  %s tiles: %d holding %d events%n", rs.getString(1), rs.getLong(2), rs.getLong(3));
                    }
                }
            }
            System.out.printf("P5: %d events persisted and grouped in %.1f s = %.0f events/s (target >= 5000: %s)%n",
                    stored, seconds, stored / seconds, stored / seconds >= 5000 ? "met" : "NOT met");
        }
        infra.close();
    }
}
