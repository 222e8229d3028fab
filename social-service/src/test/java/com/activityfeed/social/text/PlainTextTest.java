package com.activityfeed.social.text;

import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlainTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stripsControlCharactersKeepsLineBreaksAndTrims() {
        assertThat(PlainText.clean("\u0000 a\u0007b\r\nc\td \u001b[31m ")).isEqualTo("ab\ncd [31m");
        assertThat(PlainText.clean(" <script>x</script> ")).isEqualTo("<script>x</script>");
        assertThat(PlainText.clean("\u00a0\u2003")).isEmpty();
    }

    @Test
    void countsCharactersNotUtf16Units() throws Exception {
        JsonNode emoji = JSON.createObjectNode().put("body", "😀".repeat(5));
        assertThat(PlainText.required(emoji, "body", 5)).hasSize(10);
        assertThatThrownBy(() -> PlainText.required(emoji, "body", 4)).isInstanceOf(ProblemException.class);
    }

    @Test
    void requiredFieldsMustBePresentTextualAndNotBlank() throws Exception {
        assertThatThrownBy(() -> PlainText.required(JSON.readTree("{}"), "body", 10))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(400));
        assertThatThrownBy(() -> PlainText.required(JSON.readTree("{\"body\":null}"), "body", 10))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> PlainText.required(JSON.readTree("{\"body\":true}"), "body", 10))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> PlainText.required(JSON.readTree("{\"body\":\" \\u0000 \"}"), "body", 10))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> PlainText.required(JSON.readTree("\"body\""), "body", 10))
                .isInstanceOf(ProblemException.class);
        assertThat(PlainText.required(JSON.readTree("{\"body\":\" 1234567890 \"}"), "body", 10)).isEqualTo("1234567890");
    }

    @Test
    void optionalFieldsAreNullWhenAbsentOrBlank() throws Exception {
        assertThat(PlainText.optional(JSON.readTree("{}"), "title", 5)).isNull();
        assertThat(PlainText.optional(JSON.readTree("{\"title\":\"  \"}"), "title", 5)).isNull();
        assertThat(PlainText.optional(JSON.readTree("{\"title\":\" ab \"}"), "title", 5)).isEqualTo("ab");
        assertThatThrownBy(() -> PlainText.optional(JSON.readTree("{\"title\":\"abcdef\"}"), "title", 5))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void unknownFieldsAreNamed() throws Exception {
        assertThatThrownBy(() -> PlainText.only(JSON.readTree("{\"body\":\"x\",\"bdy\":1}"), "body"))
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.problem().errors()).extracting("field").containsExactly("bdy"));
    }
}
