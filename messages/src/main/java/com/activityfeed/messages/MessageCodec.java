package com.activityfeed.messages;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Reads and writes the message records as JSON strings. Messages travel as strings so that a
 * consumer sees a malformed value as data it can dead-letter, not as a deserializer crash.
 * Unknown fields are ignored (a newer producer may add some); a different {@code v} is refused.
 */
public final class MessageCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("canonical-instants")
                    .addSerializer(Instant.class, new InstantWriter())
                    .addDeserializer(Instant.class, new InstantReader()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    /** The attribute that hands the message's text to {@link RawData}. */
    private static final String SOURCE = "afp.source";
    /** Reads a {@link FeedChange} keeping its {@code data} as the text it was written with ({@link #readFeedChangeForStream}). */
    private static final ObjectReader STREAM_CHANGE = MAPPER.copy()
            .registerModule(new SimpleModule("raw-data").addDeserializer(JsonNode.class, new RawData()))
            .readerFor(FeedChange.class);

    private MessageCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + message.getClass().getSimpleName(), e);
        }
    }

    public static RawEvent readRawEvent(String json) {
        return check(read(json, RawEvent.class));
    }

    private static RawEvent check(RawEvent event) {
        requireVersion(event.v(), RawEvent.VERSION, "RawEvent");
        require(event.id() != null && event.tenantId() != null && event.type() != null
                && event.occurredAt() != null, "RawEvent needs id, tenantId, type and occurredAt");
        return event;
    }

    /**
     * The events of one {@code activity.raw} record: a single event (a JSON object), or several
     * events of the record's tenant in their order (a JSON array of them), which ingest writes for a
     * batch request so that Kafka appends the whole batch at once. Every event is checked as
     * {@link #readRawEvent} checks one; an empty array is malformed.
     */
    public static List<RawEvent> readRawEvents(String json) {
        if (!isArray(json)) {
            return List.of(readRawEvent(json));
        }
        RawEvent[] events = read(json, RawEvent[].class);
        require(events.length > 0, "an activity.raw record holds at least one event");
        for (RawEvent event : events) {
            require(event != null, "an activity.raw record holds events, not null");
            check(event);
        }
        return List.of(events);
    }

    /** Whether an {@code activity.raw} value holds an array of events ({@link #readRawEvents}). */
    public static boolean isArray(String json) {
        if (json == null) {
            return false;
        }
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c == '[';
            }
        }
        return false;
    }

    public static FeedChange readFeedChange(String json) {
        return checked(read(json, FeedChange.class));
    }

    /**
     * As {@link #readFeedChange}, for a change that is only passed on to clients: its
     * {@code data} is not parsed into a tree but kept as the JSON text the message carries,
     * which {@link #jsonText} hands back as it is. Building the tree and writing it again was a
     * tenth of the feed's CPU at 1 000 events/s (the fan-out reads every change once per replica).
     */
    public static FeedChange readFeedChangeForStream(String json) {
        return checked(read(json, FeedChange.class, STREAM_CHANGE.withAttribute(SOURCE, json)));
    }

    /** The JSON text of {@code data}: as read by {@link #readFeedChangeForStream}, else written now; null is {@code {}}. */
    public static String jsonText(JsonNode data) {
        if (data == null || data.isNull()) {
            return "{}";
        }
        if (data instanceof POJONode node && node.getPojo() instanceof RawValue raw) {
            return raw.rawValue().toString();
        }
        return write(data);
    }

    private static FeedChange checked(FeedChange change) {
        requireVersion(change.v(), FeedChange.VERSION, "FeedChange");
        require(change.tenantId() != null && change.event() != null
                        && (change.seq() > 0 || (change.seq() == 0 && change.userId() != null)),
                "FeedChange needs tenantId, event and a positive seq (or seq 0 and a userId for a user notice)");
        return change;
    }

    public static SocialUpdate readSocialUpdate(String json) {
        SocialUpdate update = read(json, SocialUpdate.class);
        requireVersion(update.v(), SocialUpdate.VERSION, "SocialUpdate");
        require(update.id() != null && update.tenantId() != null && update.kind() != null,
                "SocialUpdate needs id, tenantId and kind");
        return update;
    }

    public static ErasureRequest readErasureRequest(String json) {
        ErasureRequest request = read(json, ErasureRequest.class);
        requireVersion(request.v(), ErasureRequest.VERSION, "ErasureRequest");
        require(request.id() != null && request.tenantId() != null && request.requestedAt() != null
                        && (ErasureRequest.TENANT.equals(request.scope())
                        || (ErasureRequest.USER.equals(request.scope()) && request.userId() != null)),
                "ErasureRequest needs id, tenantId, requestedAt and scope tenant, or scope user and a userId");
        return request;
    }

    public static ErasureResult readErasureResult(String json) {
        ErasureResult result = read(json, ErasureResult.class);
        requireVersion(result.v(), ErasureResult.VERSION, "ErasureResult");
        require(result.id() != null && result.tenantId() != null && result.service() != null
                && result.completedAt() != null, "ErasureResult needs id, tenantId, service and completedAt");
        return result;
    }

    private static <T> T read(String json, Class<T> type) {
        return read(json, type, MAPPER.readerFor(type));
    }

    private static <T> T read(String json, Class<T> type, ObjectReader reader) {
        if (json == null || json.isBlank()) {
            throw new MalformedMessageException("empty " + type.getSimpleName() + " message");
        }
        try {
            return reader.readValue(json);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("malformed " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static void requireVersion(int actual, int expected, String what) {
        require(actual == expected, what + " version " + actual + " is not supported (expected " + expected + ")");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new MalformedMessageException(message);
        }
    }

    /**
     * Instants in their canonical form ({@code 2026-11-28T20:46:25.302050Z}, as every producer of
     * ours writes them) without the general formatter ({@link IsoInstants}); anything else, and
     * timestamps written as numbers, exactly as jackson-datatype-jsr310 reads and writes them.
     */
    private static final class InstantReader extends StdScalarDeserializer<Instant> {
        InstantReader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Instant fast = p.hasToken(JsonToken.VALUE_STRING) ? IsoInstants.parseCanonical(p.getText()) : null;
            return fast != null ? fast : InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }

    /**
     * An object or array value as the text it spans in the message, without a tree: the parser
     * only skips over it. Anything else (a string, a number) is read as a tree, as usual.
     */
    private static final class RawData extends JsonDeserializer<JsonNode> {
        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Object source = ctxt.getAttribute(SOURCE);
            if (!(source instanceof String text) || !(p.hasToken(JsonToken.START_OBJECT) || p.hasToken(JsonToken.START_ARRAY))) {
                return ctxt.readTree(p);
            }
            long start = p.currentTokenLocation().getCharOffset();
            p.skipChildren();
            long end = p.currentLocation().getCharOffset();
            return new POJONode(new RawValue(text.substring((int) start, (int) end)));
        }
    }

    private static final class InstantWriter extends StdScalarSerializer<Instant> {
        InstantWriter() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (provider.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)) {
                InstantSerializer.INSTANCE.serialize(value, gen, provider);
            } else {
                gen.writeString(IsoInstants.format(value));
            }
        }
    }

    /** A message that can never be processed: it belongs in the topic's DLQ. */
    public static final class MalformedMessageException extends RuntimeException {
        public MalformedMessageException(String message) {
            super(message);
        }

        public MalformedMessageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
