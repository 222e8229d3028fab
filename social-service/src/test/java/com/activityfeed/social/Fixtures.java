package com.activityfeed.social;

import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.messages.TileRef;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.PostgresServer;
import com.activityfeed.testsupport.infra.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Announces tiles the way feed-service does (FeedChange records on the real {@code feed.changes}
 * topic) and reads what social-service publishes on {@code social.updates}.
 */
public final class Fixtures {
    private static final AtomicLong SEQ = new AtomicLong(1_000_000);
    private static KafkaProducer<String, String> producer;

    private Fixtures() {
    }

    public static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static RequestSpecification as(String tenant, String user) {
        return RestAssured.given().header("Authorization", "Bearer " + TestTokens.reader(tenant, user))
                .contentType(ContentType.JSON);
    }

    public static RequestSpecification asAdmin(String tenant) {
        return RestAssured.given().header("Authorization", "Bearer " + TestTokens.admin(tenant))
                .contentType(ContentType.JSON);
    }

    /** Announces a single tile by {@code actor} and returns its id once social knows it. */
    public static UUID tile(String tenant, String actor) {
        UUID id = UUID.randomUUID();
        announce(tenant, FeedEvents.TILE_CREATED, id, new TileRef(id, "single", List.of(actor)), null);
        awaitTile(tenant, id);
        return id;
    }

    /** Announces a fold of {@code folded} into a new group acted by {@code actors}. */
    public static UUID fold(String tenant, List<UUID> folded, List<String> actors) {
        UUID group = UUID.randomUUID();
        announce(tenant, FeedEvents.TILE_FOLDED, group, new TileRef(group, "group", actors), folded);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (UUID id : folded) {
                if (!group.equals(aliasOf(id))) {
                    return false;
                }
            }
            return true;
        });
        return group;
    }

    public static void announce(String tenant, String event, UUID tileId, TileRef tile, List<UUID> folded) {
        send(Topics.FEED_CHANGES, tenant, change(tenant, event, tileId, tile, folded));
    }

    /** A change as feed-service writes it on feed.changes, numbered after every change before. */
    public static String change(String tenant, String event, UUID tileId, TileRef tile, List<UUID> folded) {
        return MessageCodec.write(new FeedChange(FeedChange.VERSION, tenant, SEQ.incrementAndGet(), null, event, tileId,
                tile, folded, List.of("badge_earned"), Instant.now(), Instant.now(),
                MessageCodec.mapper().createObjectNode()));
    }

    public static synchronized void send(String topic, String key, String value) {
        sendAll(topic, key, List.of(value));
    }

    /** Sends the values in order without waiting between them (they reach a consumer in one poll or few). */
    public static synchronized void sendAll(String topic, String key, List<String> values) {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        }
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>(values.size());
        for (String value : values) {
            acks.add(producer.send(new ProducerRecord<>(topic, key, value)));
        }
        try {
            for (var ack : acks) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The social.updates messages of {@code tenant} (key checked), once {@code done} holds for them. */
    public static List<SocialUpdate> updates(String tenant, Predicate<List<SocialUpdate>> done) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "social-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.SOCIAL_UPDATES));
            List<SocialUpdate> mine = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenant.equals(r.key())) {
                        mine.add(MessageCodec.readSocialUpdate(r.value()));
                    }
                });
                return done.test(mine);
            });
            return mine;
        }
    }

    private static void awaitTile(String tenant, UUID id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> as(tenant, "probe")
                .get("/api/v1/tiles/{id}/comments", id).statusCode() == 200);
    }

    /** The group a tile was folded into, read from social's projection. */
    public static UUID aliasOf(UUID tile) throws SQLException {
        try (Connection c = DriverManager.getConnection(Infra.shared().jdbcUrl("social"), PostgresServer.USER, "");
             PreparedStatement ps = c.prepareStatement("SELECT alias_of FROM tile WHERE id = ?")) {
            ps.setObject(1, tile);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    /** Runs a query on social's database and returns the first column of the first row as a long. */
    public static long count(String sql, Object... params) throws SQLException {
        try (Connection c = DriverManager.getConnection(Infra.shared().jdbcUrl("social"), PostgresServer.USER, "");
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
