package com.activityfeed.ingest.events;

import com.activityfeed.web.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final EventValidator validator = new EventValidator(Duration.ofMinutes(5), Duration.ofDays(30));

    private List<Problem.FieldError> errorsOf(JsonNode event) {
        List<Problem.FieldError> errors = new ArrayList<>();
        validator.validate(event, null, NOW, errors);
        return errors;
    }

    private static ObjectNode event() {
        return JSON.createObjectNode().put("type", "badge_earned");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0} of {1} characters")
    @CsvSource({"title,200", "description,2000", "source,64", "correlationId,128", "idempotencyKey,128"})
    void topLevelTextLimitsHoldAtTheirEdge(String field, int max) {
        assertThat(errorsOf(event().put(field, "x".repeat(max)))).isEmpty();
        assertThat(errorsOf(event().put(field, "x".repeat(max + 1))))
                .singleElement().satisfies(e -> assertThat(e.field()).isEqualTo(field));
    }

    @ParameterizedTest(name = "{0}.{1} of {2} characters")
    @CsvSource({"actor,id,128", "actor,name,200", "entity,type,64", "entity,id,128", "entity,name,200", "change,field,128"})
    void nestedTextLimitsHoldAtTheirEdge(String object, String field, int max) {
        ObjectNode ok = event();
        ObjectNode inner = ok.putObject(object);
        inner.put("id", "i").put("type", "t").put("field", "f");
        if (object.equals("actor")) {
            inner.remove("type");
            inner.remove("field");
        } else if (object.equals("entity")) {
            inner.remove("field");
        } else {
            inner.remove("id");
            inner.remove("type");
        }
        inner.put(field, "y".repeat(max));
        assertThat(errorsOf(ok)).isEmpty();
        inner.put(field, "y".repeat(max + 1));
        assertThat(errorsOf(ok)).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo(object + "." + field));
    }

    @Test
    void lengthsCountCodePointsAfterSanitising() {
        String emoji = "\uD83C\uDFC6"; // one code point, two chars
        assertThat(errorsOf(event().put("title", emoji.repeat(200)))).isEmpty();
        assertThat(errorsOf(event().put("title", "  " + "x".repeat(200) + "\u0000\u0007  "))).isEmpty();
    }

    @Test
    void typePattern() {
        assertThat(errorsOf(event().put("type", "a" + "b".repeat(63)))).isEmpty();
        assertThat(errorsOf(event().put("type", "a" + "b".repeat(64)))).hasSize(1);
        assertThat(errorsOf(event().put("type", "badge.earned-v2_x"))).isEmpty();
        assertThat(errorsOf(event().put("type", "Badge"))).hasSize(1);
        assertThat(errorsOf(event().put("type", "1badge"))).hasSize(1);
        assertThat(errorsOf(JSON.createObjectNode())).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("is required"));
    }

    @Test
    void tenTagsAreFineElevenAreNot() {
        ObjectNode ten = event();
        for (int i = 0; i < 10; i++) {
            ten.withArray("tags").add("tag-" + i);
        }
        assertThat(errorsOf(ten)).isEmpty();
        ten.withArray("tags").add("tag-10");
        assertThat(errorsOf(ten)).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("tags"));
    }

    @Test
    void tagPattern() {
        assertThat(errorsOf(event().set("tags", parse("[\"" + "a".repeat(32) + "\",\"a:b_c-1\"]")))).isEmpty();
        assertThat(errorsOf(event().set("tags", parse("[\"" + "a".repeat(33) + "\"]")))).hasSize(1);
        assertThat(errorsOf(event().set("tags", parse("[\"\", \"Upper\", \"sp ace\", 7]")))).hasSize(4);
        assertThat(errorsOf(event().set("tags", parse("\"one\"")))).hasSize(1);
    }

    @Test
    void payloadOf16KiBIsFineOneByteMoreIsNot() {
        // {"p":"..."} is 8 bytes of structure around the string.
        ObjectNode exact = event();
        exact.putObject("payload").put("p", "x".repeat(16 * 1024 - 8));
        assertThat(EventValidator.serialisedSize(exact.get("payload"))).isEqualTo(16 * 1024);
        assertThat(errorsOf(exact)).isEmpty();
        ObjectNode over = event();
        over.putObject("payload").put("p", "x".repeat(16 * 1024 - 7));
        assertThat(errorsOf(over)).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("payload"));
        assertThat(errorsOf(event().set("payload", parse("[1]")))).hasSize(1);
    }

    @Test
    void occurredAtBounds() {
        assertThat(errorsOf(event().put("occurredAt", "2026-11-23T12:05:00Z"))).isEmpty();
        assertThat(errorsOf(event().put("occurredAt", "2026-11-23T12:05:01Z"))).hasSize(1);
        assertThat(errorsOf(event().put("occurredAt", "2026-10-24T12:00:00Z"))).isEmpty();
        assertThat(errorsOf(event().put("occurredAt", "2026-10-24T11:59:59Z"))).hasSize(1);
        assertThat(errorsOf(event().put("occurredAt", "2026-11-23T13:00:00+01:00"))).isEmpty();
        assertThat(errorsOf(event().put("occurredAt", "2026-11-23T12:00:00"))).hasSize(1);
        assertThat(errorsOf(event().put("occurredAt", "23.11.2026"))).hasSize(1);
        // RFC 3339 needs the seconds and an offset of hours and minutes (Java's ISO parser takes either missing)
        assertThat(errorsOf(event().put("occurredAt", "2026-11-23t12:00:00z"))).isEmpty();
        assertThat(errorsOf(event().put("occurredAt", "2026-11-23T12:00Z"))).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("RFC 3339"));
        assertThat(errorsOf(event().put("occurredAt", "2026-11-23T13:00:00+01"))).hasSize(1);
        List<Problem.FieldError> errors = new ArrayList<>();
        EventValidator.Draft draft = validator.validate(event(), null, NOW, errors);
        assertThat(draft.occurredAt()).isEqualTo(NOW);
    }

    @Test
    void expiresAtMustFollowOccurredAt() {
        assertThat(errorsOf(event().put("occurredAt", "2026-11-23T11:00:00Z").put("expiresAt", "2026-11-23T11:00:01Z"))).isEmpty();
        assertThat(errorsOf(event().put("occurredAt", "2026-11-23T11:00:00Z").put("expiresAt", "2026-11-23T11:00:00Z"))).hasSize(1);
        assertThat(errorsOf(event().put("expiresAt", "2026-11-23T11:59:00Z"))).hasSize(1);
    }

    @Test
    void priorityIsOneOfFour() {
        for (String p : List.of("low", "normal", "high", "urgent")) {
            assertThat(errorsOf(event().put("priority", p))).isEmpty();
        }
        assertThat(errorsOf(event().put("priority", "HIGH"))).hasSize(1);
        assertThat(errorsOf(event().put("priority", 1))).hasSize(1);
    }

    @Test
    void unknownFieldsAreNamedAtEveryLevel() {
        List<Problem.FieldError> errors = errorsOf(parse("""
                {"type":"a","colour":"red","actor":{"id":"x","email":"e"},"entity":{"type":"t","id":"i","url":"u"},
                 "change":{"field":"f","from":1,"to":2,"by":"me"}}"""));
        assertThat(errors).extracting(Problem.FieldError::field)
                .containsExactlyInAnyOrder("colour", "actor.email", "entity.url", "change.by");
    }

    @Test
    void wrongTypesAreFaults() {
        assertThat(errorsOf(parse("{\"type\":\"a\",\"actor\":\"ada\",\"entity\":[],\"change\":1,\"source\":false,\"correlationId\":{}}")))
                .extracting(Problem.FieldError::field).containsExactly("actor", "entity", "source", "correlationId", "change");
    }

    @Test
    void sanitisingStripsControlsButKeepsLineBreaksInDescriptions() {
        List<Problem.FieldError> errors = new ArrayList<>();
        EventValidator.Draft draft = validator.validate(event().put("title", "\tA\u0000B\u001b[31m\u0085 ")
                .put("description", " line 1\nline\u00002\t "), null, NOW, errors);
        assertThat(errors).isEmpty();
        assertThat(draft.title()).isEqualTo("AB[31m");
        assertThat(draft.description()).isEqualTo("line 1\nline2");
        assertThat(errorsOf(event().put("title", "\u0000 \u0007"))).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("must not be blank"));
    }

    @Test
    void nullOptionalFieldsAreAbsentAndDefaultsApply() {
        List<Problem.FieldError> errors = new ArrayList<>();
        EventValidator.Draft draft = validator.validate(parse("{\"type\":\"a\",\"title\":null,\"tags\":null,\"source\":null}"),
                3, NOW, errors);
        assertThat(errors).isEmpty();
        assertThat(draft.source()).isEqualTo("api");
        assertThat(draft.priority().wire()).isEqualTo("normal");
        assertThat(draft.tags()).isEmpty();
    }

    @Test
    void faultsCarryTheBatchIndex() {
        List<Problem.FieldError> errors = new ArrayList<>();
        validator.validate(parse("{\"type\":\"A\"}"), 7, NOW, errors);
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.index()).isEqualTo(7));
    }

    @Test
    void aSingleEventsFaultsCarryIndexZero() {
        assertThat(errorsOf(parse("{\"type\":\"A\"}"))).singleElement().satisfies(e -> assertThat(e.index()).isZero());
    }

    @Test
    void identifiersAreNeverRewrittenAControlCharacterInOneIsAFault() {
        for (String control : List.of("\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\t", "\n")) {
            assertThat(errorsOf(event().put("type", "badge" + control + "_earned"))).as("type with U+%04X", (int) control.charAt(0))
                    .singleElement().satisfies(e -> {
                        assertThat(e.field()).isEqualTo("type");
                        assertThat(e.message()).isEqualTo("must not contain control characters");
                    });
        }
        ObjectNode event = event().put("idempotencyKey", "k\u0000").put("correlationId", "c\u0007").put("source", "s\u0001")
                .put("tenantId", "acme\u0000");
        event.putObject("actor").put("id", "ada\u0000");
        event.putObject("entity").put("type", "badge\u0000").put("id", "b\u0001");
        event.putObject("change").put("field", "f\u0002");
        assertThat(errorsOf(event)).extracting(Problem.FieldError::field).containsExactlyInAnyOrder(
                "tenantId", "actor.id", "entity.type", "entity.id", "source", "correlationId", "change.field", "idempotencyKey");
        assertThat(errorsOf(event().put("idempotencyKey", " k "))).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("must not start or end with whitespace"));
        // Text (names, title, description) is still sanitised, not refused.
        ObjectNode named = event();
        named.putObject("actor").put("id", "ada").put("name", "Ada\u0000 ");
        assertThat(errorsOf(named)).isEmpty();
    }
}
