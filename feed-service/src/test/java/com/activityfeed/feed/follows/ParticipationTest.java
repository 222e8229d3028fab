package com.activityfeed.feed.follows;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.ReactionCounts;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.messages.Topics;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Participating (SPEC §4a) over the real broker: reactions and comments arrive on
 * {@code social.updates} as social-service publishes them, and make their author follow the tile.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class ParticipationTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static KafkaProducer<String, String> producer;

    private final EventIngestService ingest;

    ParticipationTest(EventIngestService ingest) {
        this.ingest = ingest;
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
    void reactingFollowsTheTilesEntityCommentingOnOneWithoutFollowsItsActorAndAnExplicitUnfollowSticks() throws Exception {
        String tenant = TestEvents.tenant("part");
        RawEvent deal = TestEvents.event(tenant, "deal.moved", T0).actor("ada", "Ada").entity("deal", "d-1", "Acme").build();
        RawEvent badge = TestEvents.event(tenant, "badge_earned", T0.plusSeconds(1)).actor("bob", "Bob").build();
        RawEvent unfollowed = TestEvents.event(tenant, "deal.moved", T0.plusSeconds(2)).actor("ada", "Ada")
                .entity("deal", "d-2", "Other").build();
        ingest.store(List.of(deal, badge, unfollowed));
        String grace = TestTokens.reader(tenant, "grace");
        given().auth().oauth2(grace).when().delete("/api/v1/feed/follows/entities/deal/d-2").then().statusCode(204);

        send(reaction(tenant, deal.id(), "grace", SocialUpdate.Reaction.ADDED));
        send(comment(tenant, badge.id(), "grace"));
        send(reaction(tenant, unfollowed.id(), "grace", SocialUpdate.Reaction.ADDED));
        // taking a reaction back follows nothing: ben ends up following only what he commented on
        send(reaction(tenant, badge.id(), "ben", SocialUpdate.Reaction.REMOVED));
        send(comment(tenant, deal.id(), "ben"));

        await().atMost(Duration.ofSeconds(30)).until(() -> follows(TestTokens.reader(tenant, "ben")).getList("items").size() == 1);
        JsonPath follows = follows(grace);
        assertThat(follows.getList("items.kind")).containsExactlyInAnyOrder("entity", "actor");
        assertThat(follows.getList("items.origin")).containsOnly("participating");
        assertThat(follows.getList("items.entityId")).contains("d-1").doesNotContain("d-2");
        assertThat(follows.getList("items.actorId")).contains("bob");
        JsonPath ben = follows(TestTokens.reader(tenant, "ben"));
        assertThat(ben.getString("items[0].entityId")).isEqualTo("d-1");
        assertThat(ben.getInt("items[0].followers")).isEqualTo(2);

        // the explicit unfollow of d-1 sticks: reacting again does not bring it back
        given().auth().oauth2(grace).when().delete("/api/v1/feed/follows/entities/deal/d-1").then().statusCode(204);
        send(reaction(tenant, deal.id(), "grace", SocialUpdate.Reaction.ADDED));
        send(comment(tenant, deal.id(), "ben"));
        send(comment(tenant, deal.id(), "grace"));
        send(comment(tenant, badge.id(), "marker"));
        await().atMost(Duration.ofSeconds(30)).until(() -> follows(TestTokens.reader(tenant, "marker")).getList("items").size() == 1);
        assertThat(follows(grace).getList("items.kind")).containsExactly("actor");

        // following it by hand again is a manual follow
        given().auth().oauth2(grace).when().put("/api/v1/feed/follows/entities/deal/d-1").then().statusCode(200);
        assertThat(follows(grace).getList("items.origin")).containsExactly("manual", "participating");
        assertThat(given().auth().oauth2(grace).queryParam("following", "true").when().get("/api/v1/feed").then()
                .statusCode(200).extract().jsonPath().getList("items.id"))
                .containsExactly(badge.id().toString(), deal.id().toString())
                .doesNotContain(unfollowed.id().toString());
    }

    private static JsonPath follows(String token) {
        return given().auth().oauth2(token).when().get("/api/v1/feed/follows").then().statusCode(200).extract().jsonPath();
    }

    private static SocialUpdate reaction(String tenant, UUID tile, String user, String action) {
        return new SocialUpdate(1, UUID.randomUUID(), tenant, SocialUpdate.Kind.REACTION_UPDATED, Instant.now(),
                new SocialUpdate.Reaction(tile, new ReactionCounts(1, 0, 0), user, "hype", action, List.of("hype")),
                null, null, null);
    }

    private static SocialUpdate comment(String tenant, UUID tile, String author) {
        SocialUpdate.Comment comment = new SocialUpdate.Comment(UUID.randomUUID(), tile, author, author, "well done",
                Instant.now());
        return new SocialUpdate(1, UUID.randomUUID(), tenant, SocialUpdate.Kind.COMMENT_CREATED, Instant.now(), null,
                new SocialUpdate.CommentChange(tile, comment, 1), null, null);
    }

    private static void send(SocialUpdate update) throws Exception {
        producer.send(new ProducerRecord<>(Topics.SOCIAL_UPDATES, update.tenantId(), MessageCodec.write(update))).get();
    }
}
