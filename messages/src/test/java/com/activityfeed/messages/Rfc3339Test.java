package com.activityfeed.messages;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc3339Test {

    @ParameterizedTest
    @CsvSource({
            "2026-11-23T10:15:30Z, 2026-11-23T10:15:30Z",
            "2026-11-23t10:15:30z, 2026-11-23T10:15:30Z",
            "2026-11-23T10:15:30.5Z, 2026-11-23T10:15:30.500Z",
            "2026-11-23T10:15:30.123456789Z, 2026-11-23T10:15:30.123456789Z",
            "2026-11-23T11:15:30+01:00, 2026-11-23T10:15:30Z",
            "2026-11-23T05:15:30.25-05:00, 2026-11-23T10:15:30.250Z",
            "2026-11-23T10:15:30-00:00, 2026-11-23T10:15:30Z",
            "2024-02-29T23:59:59Z, 2024-02-29T23:59:59Z",
            "0000-01-01T00:00:00Z, 0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z, 9999-12-31T23:59:59.999999999Z"})
    void readsEveryFormOfTheGrammar(String text, String instant) {
        assertThat(Rfc3339.parse(text)).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-11-23T10:15Z",                 // no seconds (Java's ISO formatter takes it)
            "2026-11-23T10:15:30",               // no offset
            "2026-11-23 10:15:30Z",              // a space instead of T
            "2026-11-23T10:15:30+01",            // offset without minutes
            "2026-11-23T10:15:30+0100",          // offset without colon
            "2026-11-23T10:15:30+01:00:30",      // offset with seconds
            "2026-11-23T10:15:30.Z",             // empty fraction
            "2026-11-23T10:15:30.1234567891Z",   // ten fraction digits
            "+12026-11-23T10:15:30Z",            // a five-digit year
            "2026-11-23T10:15:30ZZ",
            "2026-02-30T10:15:30Z",              // no such day
            "2026-11-23T24:00:00Z",
            "2026-11-23T10:60:00Z",
            "2026-12-31T23:59:60Z",              // a leap second: an instant cannot hold it
            "2026-11-23T10:15:30+25:00",
            "2026-11-23",
            "yesterday",
            ""})
    void refusesWhatTheGrammarDoesNotAllowOrNoTimeIs(String text) {
        assertThat(Rfc3339.parse(text)).isNull();
    }
}
