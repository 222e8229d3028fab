package com.activityfeed.feed.social;

import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.ReactionCounts;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** social.updates over the real broker into the feed's social mirror and change log. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class SocialUpdateConsumerTest {
    private static KafkaProducer<String, String> producer;

    private final AgroalDataSource dataSource;

    SocialUpdateConsumerTest(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @BeforeAll
    static void connect() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    @Test
    void reactionsAreCountedFromTheFeedsOwnRowsRelayedWithASequenceAndAppliedOnce() throws Exception {
        String tenant = tenant();
        UUID tile = UUID.randomUUID();
        SocialUpdate grace = reaction(tenant, tile, "grace", "hype", SocialUpdate.Reaction.ADDED);
        SocialUpdate linus = reaction(tenant, tile, "linus", "hype", SocialUpdate.Reaction.ADDED);
        SocialUpdate respect = reaction(tenant, tile, "grace", "respect", SocialUpdate.Reaction.ADDED);
        send(grace);
        send(grace);
        send(linus);
        send(respect);

        await().atMost(Duration.ofSeconds(30)).until(() -> changes(tenant).size() == 3);
        assertThat(social(tile)).containsExactly(2L, 1L, 0L, 0L, 3L);
        assertThat(myReactions(tile, "grace")).containsExactlyInAnyOrder("hype", "respect");

        List<JsonNode> changes = changes(tenant);
        assertThat(changes).extracting(c -> c.path("event").asText()).containsOnly("activity.reaction.updated");
        assertThat(changes).extracting(c -> c.path("seq").asLong()).containsExactly(1L, 2L, 3L);
        JsonNode last = changes.get(2).path("data");
        assertThat(last.path("tileId").asText()).isEqualTo(tile.toString());
        assertThat(last.path("counts").path("hype").asLong()).isEqualTo(2);
        assertThat(last.path("counts").path("respect").asLong()).isEqualTo(1);
        assertThat(last.path("actorId").asText()).isEqualTo("grace");
        assertThat(last.path("reactionType").asText()).isEqualTo("respect");
        assertThat(last.path("action").asText()).isEqualTo("added");

        send(reaction(tenant, tile, "linus", "hype", SocialUpdate.Reaction.REMOVED));
        await().atMost(Duration.ofSeconds(30)).until(() -> changes(tenant).size() == 4);
        assertThat(social(tile)).containsExactly(1L, 1L, 0L, 0L, 4L);
        assertThat(changes(tenant).get(3).path("data").path("action").asText()).isEqualTo("removed");
    }

    @Test
    void anUpdateNamingAFoldedTileLandsOnItsGroupWithOneReactionPerUserAndType() throws Exception {
        String tenant = tenant();
        UUID group = UUID.randomUUID();
        UUID folded = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO tile_alias (alias_id, tenant_id, group_id) VALUES (?, ?, ?);
                     INSERT INTO tile_reaction (tile_id, user_id, type, tenant_id) VALUES (?, 'grace', 'hype', ?)""")) {
            ps.setObject(1, folded);
            ps.setString(2, tenant);
            ps.setObject(3, group);
            ps.setObject(4, group);
            ps.setString(5, tenant);
            ps.execute();
        }
        send(reaction(tenant, folded, "grace", "hype", SocialUpdate.Reaction.ADDED));
        send(reaction(tenant, folded, "ada", "tribute", SocialUpdate.Reaction.ADDED));
        send(comment(tenant, folded, SocialUpdate.Kind.COMMENT_CREATED));

        await().atMost(Duration.ofSeconds(30)).until(() -> changes(tenant).size() == 3);
        assertThat(social(group)).containsExactly(1L, 0L, 1L, 1L, 3L);
        assertThat(social(folded)).isEmpty();
        assertThat(changes(tenant)).allSatisfy(c -> {
            assertThat(c.path("tileId").asText()).isEqualTo(group.toString());
            assertThat(c.path("data").path("tileId").asText()).isEqualTo(group.toString());
        });
        assertThat(changes(tenant).get(2).path("data").path("comment").path("tileId").asText()).isEqualTo(group.toString());
    }

    @Test
    void commentCountsFollowCreationsAndDeletionsAndChatIsRelayedAsIs() throws Exception {
        String tenant = tenant();
        UUID tile = UUID.randomUUID();
        SocialUpdate first = comment(tenant, tile, SocialUpdate.Kind.COMMENT_CREATED);
        send(first);
        send(comment(tenant, tile, SocialUpdate.Kind.COMMENT_CREATED));
        send(new SocialUpdate(1, UUID.randomUUID(), tenant, SocialUpdate.Kind.COMMENT_DELETED, Instant.now(), null,
                first.comment(), null, null));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SocialUpdate.Message message = new SocialUpdate.Message(UUID.randomUUID(), UUID.randomUUID(), "ada", "Ada",
                "hello <b>there</b>", now);
        send(new SocialUpdate(1, UUID.randomUUID(), tenant, SocialUpdate.Kind.MESSAGE_CREATED, now, null, null, null,
                message));

        await().atMost(Duration.ofSeconds(30)).until(() -> changes(tenant).size() == 4);
        assertThat(social(tile)).containsExactly(0L, 0L, 0L, 1L, 3L);
        List<JsonNode> changes = changes(tenant);
        assertThat(changes).extracting(c -> c.path("event").asText()).containsExactly("activity.comment.created",
                "activity.comment.created", "activity.comment.deleted", "chat.message.created");
        JsonNode comment = changes.get(0).path("data").path("comment");
        assertThat(comment.path("authorName").asText()).isEqualTo("Grace");
        assertThat(comment.path("body").asText()).isEqualTo("well done");
        JsonNode chat = changes.get(3).path("data");
        assertThat(chat.path("id").asText()).isEqualTo(message.id().toString());
        assertThat(chat.path("threadId").asText()).isEqualTo(message.threadId().toString());
        assertThat(chat.path("body").asText()).isEqualTo("hello <b>there</b>");
        assertThat(Instant.parse(chat.path("createdAt").asText())).isEqualTo(now);
    }

    @Test
    void aMalformedUpdateGoesToTheDeadLetterTopicAndTheNextOneIsStillApplied() throws Exception {
        String tenant = tenant();
        String poison = "{\"v\":1,\"id\":\"" + UUID.randomUUID() + "\",\"tenantId\":\"" + tenant + "\",\"kind\":\"reaction.updated\"}";
        producer.send(new ProducerRecord<>(Topics.SOCIAL_UPDATES, tenant, poison)).get();
        producer.send(new ProducerRecord<>(Topics.SOCIAL_UPDATES, tenant, "not json " + tenant)).get();
        UUID tile = UUID.randomUUID();
        send(reaction(tenant, tile, "grace", "tribute", SocialUpdate.Reaction.ADDED));

        await().atMost(Duration.ofSeconds(30)).until(() -> changes(tenant).size() == 1);
        try (KafkaConsumer<String, String> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            dlq.subscribe(List.of(Topics.dlq(Topics.SOCIAL_UPDATES)));
            List<String> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenant.equals(r.key())) {
                        dead.add(r.value());
                    }
                });
                return dead.size() >= 2;
            });
            assertThat(dead).containsExactly(poison, "not json " + tenant);
        }
    }

    @Test
    void anUpdateArrivingWhilePostgresIsDownIsAppliedOnceItIsBackNotDeadLettered() throws Exception {
        String tenant = tenant();
        UUID tile = UUID.randomUUID();
        Infra.shared().postgres().stop();
        try {
            send(reaction(tenant, tile, "grace", "hype", SocialUpdate.Reaction.ADDED));
        } finally {
            Infra.shared().postgres().start();
        }
        send(reaction(tenant, tile, "linus", "hype", SocialUpdate.Reaction.ADDED));
        await().atMost(Duration.ofSeconds(60)).until(() -> changes(tenant).size() == 2);
        assertThat(social(tile)).containsExactly(2L, 0L, 0L, 0L, 2L);
        assertThat(changes(tenant)).extracting(c -> c.path("data").path("actorId").asText())
                .containsExactly("grace", "linus");
    }

    private static String tenant() {
        return "social-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static SocialUpdate reaction(String tenant, UUID tile, String user, String type, String action) {
        // Counts in the message are deliberately wrong: the feed recounts from its own rows.
        return new SocialUpdate(1, UUID.randomUUID(), tenant, SocialUpdate.Kind.REACTION_UPDATED, Instant.now(),
                new SocialUpdate.Reaction(tile, new ReactionCounts(99, 99, 99), user, type, action, List.of(type)),
                null, null, null);
    }

    private static SocialUpdate comment(String tenant, UUID tile, SocialUpdate.Kind kind) {
        SocialUpdate.Comment comment = new SocialUpdate.Comment(UUID.randomUUID(), tile, "grace", "Grace",
                "well done", Instant.now());
        return new SocialUpdate(1, UUID.randomUUID(), tenant, kind, Instant.now(), null,
                new SocialUpdate.CommentChange(tile, comment, 42), null, null);
    }

    private static void send(SocialUpdate update) throws Exception {
        producer.send(new ProducerRecord<>(Topics.SOCIAL_UPDATES, update.tenantId(), MessageCodec.write(update))).get();
    }

    /** hype, respect, tribute, comment_count, last_seq of the tile, or empty when it has no row. */
    private List<Long> social(UUID tile) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT hype, respect, tribute, comment_count, last_seq FROM tile_social WHERE tile_id = ?")) {
            ps.setObject(1, tile);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))
                        : List.of();
            }
        }
    }

    private List<String> myReactions(UUID tile, String user) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT type FROM tile_reaction WHERE tile_id = ? AND user_id = ?")) {
            ps.setObject(1, tile);
            ps.setString(2, user);
            List<String> types = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
            return types;
        }
    }

    private List<JsonNode> changes(String tenant) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT message FROM change_log WHERE tenant_id = ? ORDER BY seq")) {
            ps.setString(1, tenant);
            List<JsonNode> changes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(MessageCodec.mapper().readTree(rs.getString(1)));
                }
            }
            return changes;
        }
    }
}
