package com.activityfeed.messages;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTest {

    @Test
    void rawEventRoundTripsWithEveryField() {
        var payload = JsonNodeFactory.instance.objectNode().put("points", 30);
        var event = new RawEvent(1, UUID.randomUUID(), "acme", "badge_earned",
                new Actor("u1", "Ada"), new EntityRef("badge", "b1", "Sprint Champion"),
                Instant.parse("2026-11-20T10:00:00Z"), Instant.parse("2026-11-20T10:00:01Z"),
                "Ada earned Sprint Champion", "desc", "api", Priority.HIGH, List.of("team:core"),
                "corr-1", Instant.parse("2026-12-20T10:00:00Z"),
                new FieldChange("status", JsonNodeFactory.instance.textNode("open"),
                        JsonNodeFactory.instance.textNode("done")),
                payload, "key-1");

        String json = MessageCodec.write(event);

        assertThat(json).contains("\"v\":1", "\"priority\":\"high\"", "\"occurredAt\":\"2026-11-20T10:00:00Z\"");
        assertThat(MessageCodec.readRawEvent(json)).isEqualTo(event);
    }

    private static RawEvent minimal(String tenant, String title) {
        return new RawEvent(1, UUID.randomUUID(), tenant, "task_completed", new Actor("u1", null), null,
                Instant.parse("2026-11-20T10:00:00Z"), Instant.parse("2026-11-20T10:00:01Z"), title, null, "api",
                Priority.NORMAL, List.of(), null, null, null, null, null);
    }

    /** A record of activity.raw holds one event or, written for a batch request, an array of them in order. */
    @Test
    void aRawRecordHoldsOneEventOrSeveralInOrder() {
        RawEvent one = minimal("acme", "one");
        RawEvent two = minimal("acme", "two");

        assertThat(MessageCodec.readRawEvents(MessageCodec.write(one))).containsExactly(one);
        assertThat(MessageCodec.readRawEvents(MessageCodec.write(List.of(one, two)))).containsExactly(one, two);
        assertThat(MessageCodec.readRawEvents(" \n[" + MessageCodec.write(two) + "]")).containsExactly(two);
        assertThat(MessageCodec.isArray(MessageCodec.write(one))).isFalse();
        assertThat(MessageCodec.isArray("\t[]")).isTrue();
    }

    @Test
    void aRawRecordOfSeveralEventsIsRefusedWholeWhenOneOfThemIsBad() {
        String good = MessageCodec.write(minimal("acme", "good"));
        assertThatThrownBy(() -> MessageCodec.readRawEvents("[]"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class).hasMessageContaining("at least one event");
        assertThatThrownBy(() -> MessageCodec.readRawEvents("[" + good + ",null]"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class);
        assertThatThrownBy(() -> MessageCodec.readRawEvents("[" + good + ",{\"v\":1}]"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class).hasMessageContaining("needs id");
        assertThatThrownBy(() -> MessageCodec.readRawEvents("[" + good + ",{\"v\":2}]"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> MessageCodec.readRawEvents("[" + good))
                .isInstanceOf(MessageCodec.MalformedMessageException.class);
    }

    @Test
    void socialUpdateKindUsesDottedWireNames() {
        var update = new SocialUpdate(1, UUID.randomUUID(), "acme", SocialUpdate.Kind.COMMENT_CREATED,
                Instant.parse("2026-11-20T10:00:00Z"), null,
                new SocialUpdate.CommentChange(UUID.randomUUID(), null, 3), null, null);

        String json = MessageCodec.write(update);

        assertThat(json).contains("\"kind\":\"comment.created\"").doesNotContain("reaction");
        assertThat(MessageCodec.readSocialUpdate(json)).isEqualTo(update);
        assertThat(update.kind().feedEvent()).isEqualTo(FeedEvents.COMMENT_CREATED);
    }

    @Test
    void refusesOtherVersionsAndGarbage() {
        assertThatThrownBy(() -> MessageCodec.readRawEvent("{\"v\":2,\"id\":\"" + UUID.randomUUID()
                + "\",\"tenantId\":\"a\",\"type\":\"t\",\"occurredAt\":\"2026-11-20T10:00:00Z\"}"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> MessageCodec.readFeedChange("not json"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class);
        assertThatThrownBy(() -> MessageCodec.readSocialUpdate(""))
                .isInstanceOf(MessageCodec.MalformedMessageException.class);
        assertThatThrownBy(() -> MessageCodec.readRawEvent("{\"v\":1}"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class);
    }

    /** Times in the canonical form, in any other form jsr310 reads and as epoch numbers: the same instants. */
    @Test
    void readsInstantsInEveryFormJsr310Reads() {
        String id = UUID.randomUUID().toString();
        java.util.function.Function<String, Instant> occurredAt = value -> MessageCodec.readRawEvent("{\"v\":1,\"id\":\"" + id
                + "\",\"tenantId\":\"a\",\"type\":\"t\",\"occurredAt\":" + value + "}").occurredAt();
        Instant at = Instant.parse("2026-11-20T10:00:00.123456Z");
        assertThat(occurredAt.apply("\"2026-11-20T10:00:00.123456Z\"")).isEqualTo(at);
        assertThat(occurredAt.apply("\"2026-11-20T11:00:00.123456+01:00\"")).isEqualTo(at);
        assertThat(occurredAt.apply("\" 2026-11-20T10:00:00.123456Z \"")).isEqualTo(at);
        assertThat(occurredAt.apply("1795168800.123456")).isEqualTo(Instant.ofEpochSecond(1_795_168_800L, 123_456_000));
        assertThatThrownBy(() -> occurredAt.apply("\"2026-02-30T10:00:00Z\""))
                .isInstanceOf(MessageCodec.MalformedMessageException.class).hasMessageContaining("2026-02-30");
        assertThat(MessageCodec.write(new ErasureResult(1, UUID.fromString(id), "a", "social", at)))
                .contains("\"2026-11-20T10:00:00.123456Z\"");
    }

    /**
     * A change read for the streams is the change read as usual, except that its data is the very
     * text the message carries, handed back by jsonText, whatever it holds (escapes, non-ASCII,
     * nesting, data before or after the other fields).
     */
    @Test
    void aChangeReadForTheStreamKeepsItsDataAsWritten() throws Exception {
        var data = (com.fasterxml.jackson.databind.node.ObjectNode) MessageCodec.mapper().readTree(
                "{\"tile\":{\"id\":\"t\",\"title\":\"Zoë \\\"quoted\\\" \\u2028 \\ud83d\\ude00 \\n line\","
                        + "\"members\":[1,2.5,null,true,{\"x\":[]}],\"empty\":{}}}");
        var change = new FeedChange(1, "acme", 42, null, FeedEvents.TILE_CREATED, UUID.randomUUID(),
                new TileRef(UUID.randomUUID(), "single", List.of("u1")), null, List.of("badge_earned"),
                Instant.parse("2026-11-20T10:00:00.5Z"), Instant.parse("2026-11-20T09:59:59Z"), data);
        String json = MessageCodec.write(change);

        FeedChange streamed = MessageCodec.readFeedChangeForStream(json);
        FeedChange parsed = MessageCodec.readFeedChange(json);

        assertThat(MessageCodec.jsonText(streamed.data())).isEqualTo(MessageCodec.write(data))
                .isEqualTo(MessageCodec.jsonText(parsed.data()));
        assertThat(new FeedChange(streamed.v(), streamed.tenantId(), streamed.seq(), streamed.userId(), streamed.event(),
                streamed.tileId(), streamed.tile(), streamed.foldedTileIds(), streamed.types(), streamed.at(),
                streamed.sourceAt(), parsed.data())).isEqualTo(parsed);
        // written again (a relay, a log), the raw data is the same text
        assertThat(MessageCodec.write(streamed)).isEqualTo(json);
        // data first, with whitespace around it: still its own text only
        String reordered = "{ \"data\" : [ {\"a\" : 1} ] , \"v\":1,\"tenantId\":\"acme\",\"seq\":7,\"event\":\"x\"}";
        assertThat(MessageCodec.jsonText(MessageCodec.readFeedChangeForStream(reordered).data())).isEqualTo("[ {\"a\" : 1} ]");
        assertThat(MessageCodec.jsonText(MessageCodec.readFeedChangeForStream(
                "{\"v\":1,\"tenantId\":\"acme\",\"seq\":7,\"event\":\"x\"}").data())).isEqualTo("{}");
        assertThatThrownBy(() -> MessageCodec.readFeedChangeForStream("{\"v\":1,\"tenantId\":\"acme\",\"seq\":7,\"event\":\"x\",\"data\":{"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class);
        assertThatThrownBy(() -> MessageCodec.readFeedChangeForStream("{\"v\":2,\"tenantId\":\"acme\",\"seq\":7,\"event\":\"x\"}"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class).hasMessageContaining("version 2");
    }
}
