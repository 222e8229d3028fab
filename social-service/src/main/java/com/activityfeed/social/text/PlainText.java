package com.activityfeed.social.text;

import com.activityfeed.web.Problem;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * User text is stored as plain text: control characters stripped (line breaks kept), whitespace
 * trimmed; clients render it as text. Lengths count characters (code points), not UTF-16 units.
 */
public final class PlainText {
    private PlainText() {
    }

    public static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.replace("\r\n", "\n").codePoints().forEach(cp -> {
            if (cp == '\n' || !Character.isISOControl(cp)) {
                out.appendCodePoint(cp);
            }
        });
        return trim(out.toString());
    }

    /** Trims Unicode spaces too (no-break, em space…), which {@link String#strip()} keeps. */
    private static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && blank(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && blank(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    private static boolean blank(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    /** The request body as JSON object, or a 400. */
    public static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object");
        }
        return body;
    }

    /**
     * A required text field, cleaned, 1 to {@code max} characters, or a 400 naming the field.
     */
    public static String required(JsonNode body, String field, int max) {
        JsonNode value = object(body).get(field);
        if (value == null || value.isNull()) {
            throw invalid(field, "is required");
        }
        return checked(value, field, max);
    }

    /** An optional text field: null when absent or blank after cleaning. */
    public static String optional(JsonNode body, String field, int max) {
        JsonNode value = object(body).get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(field, "must be a string");
        }
        String text = clean(value.asText());
        return text.isEmpty() ? null : checked(value, field, max);
    }

    /** Fields other than {@code allowed} are a 400 that names them. */
    public static void only(JsonNode body, String... allowed) {
        List<String> known = List.of(allowed);
        object(body).fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw invalid(name, "is not a known field");
            }
        });
    }

    private static String checked(JsonNode value, String field, int max) {
        if (!value.isTextual()) {
            throw invalid(field, "must be a string");
        }
        String text = clean(value.asText());
        if (text.isEmpty()) {
            throw invalid(field, "must not be empty");
        }
        int length = text.codePointCount(0, text.length());
        if (length > max) {
            throw invalid(field, "must be at most " + max + " characters (was " + length + ")");
        }
        return text;
    }

    private static ProblemException invalid(String field, String message) {
        return ProblemException.validation(List.of(new Problem.FieldError(null, field, field + " " + message)));
    }
}
