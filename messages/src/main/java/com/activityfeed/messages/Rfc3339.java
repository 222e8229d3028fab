package com.activityfeed.messages;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * RFC 3339's {@code date-time} (section 5.6), the form the API takes every time in: a full date,
 * {@code T}, hours, minutes and seconds, an optional fraction, and {@code Z} or a {@code ±hh:mm}
 * offset; {@code t} and {@code z} may be lower case. Java's ISO formatter is laxer (seconds
 * optional, an offset of {@code +01} or {@code +01:00:30}, years beyond 9999), so the form is
 * checked first. A leap second ({@code :60}) is refused: an instant cannot hold it.
 */
public final class Rfc3339 {
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private Rfc3339() {
    }

    /** The instant {@code text} names, or null when it is not an RFC 3339 date-time or no such time exists. */
    public static Instant parse(String text) {
        if (text == null || !DATE_TIME.matcher(text).matches()) {
            return null;
        }
        Instant canonical = IsoInstants.parseCanonical(text);
        if (canonical != null) {
            return canonical;
        }
        try {
            return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            return null; // 2026-02-30, hour 24, offset +25:00
        }
    }
}
