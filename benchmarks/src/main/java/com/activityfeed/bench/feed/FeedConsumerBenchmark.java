package com.activityfeed.bench.feed;

import com.activityfeed.bench.FlightRecording;
import com.activityfeed.bench.LoadAverage;
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
 * event (stored_at is the commit transaction's time). Then, with the consumer running, offers
 * {@code -Drate} (10 000) events/s for {@code -Dseconds} (20) and prints each second what was
 * sent and stored and whether the consumer keeps up: SPEC §8 P5, ≥ 10 000 events/s live.
 * {@code -DrecordEvents=K} (1) writes each tenant's events K to a record, as ingest writes a batch
 * request of K events (a JSON array; docs/architecture.md), instead of one record per event.
 */
public final class FeedConsumerBenchmark {
    /** Events per activity.raw record: 1 as ingest writes single events, more as it writes batch requests. */
    private static final int RECORD_EVENTS = Integer.getInteger("recordEvents", 1);

    private FeedConsumerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Infra infra = Infra.shared();
        String run = UUID.randomUUID().toString().substring(0, 6);
        Random random = new Random(1);
        Instant t0 = Instant.now().minusSeconds(86_400);
        try (Sender producer = new Sender(producer(infra))) {
            for (int i = 0; i < n; i++) {
                send(producer, "p5-" + run, i, random, t0.plusMillis(i * 20L));
            }
            producer.flush();
        }
        System.out.printf("published %d events to %s, %d to a record%n", n, Topics.ACTIVITY_RAW, RECORD_EVENTS);
        Map<String, String> env = ServiceProcess.environment(infra, "feed", TestTokens.SECRET);
        FlightRecording.ifAsked("jfr", env); // -Djfr=/tmp/p5.jfr: the feed process while it consumes
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
            System.out.printf("P5 backlog: %d events persisted and grouped in %.1f s = %.0f events/s   [%s]%n",
                    stored, seconds, stored / seconds, LoadAverage.now());
            live(infra, c, run, Integer.getInteger("rate", 10_000), Integer.getInteger("seconds", 20));
        }
        infra.close();
    }

    /**
     * SPEC P5 as it is meant: producers post at {@code rate} while the consumer runs. Events go out
     * in slices every 10 ms (open loop: a slow consumer cannot slow the sender down); every second
     * the events stored so far are counted. The consumer keeps up when it stored at the offered rate
     * and the backlog at the end of sending is under a second's worth of events.
     */
    private static void live(Infra infra, Connection c, String run, int rate, int seconds) throws Exception {
        String tenants = "p5live-" + run;
        Random random = new Random(2);
        int total = rate * seconds;
        System.out.printf("P5 live: offering %d events/s for %d s to the running consumer   [%s]%n", rate, seconds,
                LoadAverage.now());
        try (Sender producer = new Sender(producer(infra));
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM event WHERE tenant_id LIKE ?")) {
            count.setString(1, tenants + "-%");
            long start = System.nanoTime();
            long nextReport = start + 1_000_000_000L;
            long storedAtLastReport = 0;
            int sent = 0;
            while (sent < total) {
                long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                while (sent < Math.min(due, total)) {
                    send(producer, tenants, sent++, random, Instant.now());
                }
                if (System.nanoTime() >= nextReport) {
                    long stored = stored(count);
                    System.out.printf("  t=%4.1f s  sent %7d  stored %7d  (%6d/s)  backlog %6d   [%s]%n",
                            (System.nanoTime() - start) / 1e9, sent, stored, stored - storedAtLastReport, sent - stored,
                            LoadAverage.now());
                    storedAtLastReport = stored;
                    nextReport += 1_000_000_000L;
                }
                Thread.sleep(10);
            }
            producer.flush();
            double sending = (System.nanoTime() - start) / 1e9;
            long storedAtEnd = stored(count);
            long drainStart = System.nanoTime();
            long stored = storedAtEnd;
            while (stored < total && System.nanoTime() - drainStart < 120_000_000_000L) {
                Thread.sleep(100);
                stored = stored(count);
            }
            double drain = (System.nanoTime() - drainStart) / 1e9;
            long backlog = total - storedAtEnd;
            boolean kept = storedAtEnd / sending >= 0.98 * total / sending && backlog < rate;
            System.out.printf("  offered %.0f events/s for %.1f s; stored %.0f events/s meanwhile; backlog at the end %d events"
                            + " (%.2f s of sending), all %d stored %.1f s later   [%s]%n",
                    total / sending, sending, storedAtEnd / sending, backlog, backlog / (double) rate, stored, drain,
                    LoadAverage.now());
            System.out.printf("P5 live: the consumer %s %d events/s (target >= 10 000 events/s live)   [%s]%n",
                    kept ? "keeps up with" : "does NOT keep up with", rate, LoadAverage.now());
        }
    }

    private static long stored(PreparedStatement count) throws Exception {
        try (ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static KafkaProducer<String, String> producer(Infra infra) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    private static final String[] TYPES = {"badge_earned", "xp_rank_up", "challenge_completed", "streak_milestone",
            "tasks_burst", "all_tasks_cleared"};

    /** Event {@code i} of a run: 20 tenants, six types, 200 actors, 1 000 deals, every tenth high priority. */
    private static void send(Sender producer, String tenants, int i, Random random, Instant at) {
        String tenant = tenants + "-" + (i % 20);
        RawEvent e = new RawEvent(RawEvent.VERSION, UUID.randomUUID(), tenant, TYPES[random.nextInt(6)],
                new Actor("u" + random.nextInt(200), "User"), new EntityRef("deal", "d" + random.nextInt(1000), null),
                at, Instant.now(), null, null, "api",
                i % 10 == 0 ? Priority.HIGH : Priority.NORMAL, List.of("team"), null, null, null, null, null);
        producer.send(e);
    }

    /** Writes events to activity.raw, {@link #RECORD_EVENTS} of a tenant to a record. */
    private static final class Sender implements AutoCloseable {
        private final KafkaProducer<String, String> producer;
        private final Map<String, List<RawEvent>> pending = new java.util.HashMap<>();

        Sender(KafkaProducer<String, String> producer) {
            this.producer = producer;
        }

        void send(RawEvent event) {
            if (RECORD_EVENTS <= 1) {
                producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, event.tenantId(), MessageCodec.write(event)));
                return;
            }
            List<RawEvent> events = pending.computeIfAbsent(event.tenantId(), t -> new java.util.ArrayList<>());
            events.add(event);
            if (events.size() >= RECORD_EVENTS) {
                producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, event.tenantId(), MessageCodec.write(events)));
                pending.remove(event.tenantId());
            }
        }

        /** Sends what waits for a full record, then waits for Kafka's acknowledgements. */
        void flush() {
            pending.forEach((tenant, events) ->
                    producer.send(new ProducerRecord<>(Topics.ACTIVITY_RAW, tenant, MessageCodec.write(events))));
            pending.clear();
            producer.flush();
        }

        @Override
        public void close() {
            flush();
            producer.close();
        }
    }
}
