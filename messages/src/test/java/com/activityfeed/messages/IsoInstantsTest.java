package com.activityfeed.messages;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class IsoInstantsTest {
    /** 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the years the canonical form covers (beyond: the JDK's toString). */
    private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void formatsAndParsesAsTheJdkDoesForEveryPrecision() {
        SplittableRandom random = new SplittableRandom(20261128);
        for (int i = 0; i < 200_000; i++) {
            long seconds = i % 4 == 0 ? random.nextLong(1_700_000_000L, 1_900_000_000L) : random.nextLong(FIRST, LAST + 1);
            int nano = switch (i % 5) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant at = Instant.ofEpochSecond(seconds, nano);
            String text = at.toString();
            assertThat(IsoInstants.format(at)).isEqualTo(text);
            assertThat(IsoInstants.parse(text)).isEqualTo(at);
        }
    }

    @Test
    void parsesEveryFractionLengthAsTheJdkDoes() {
        String fraction = "123456789";
        for (int digits = 1; digits <= 9; digits++) {
            String text = "2026-11-28T20:46:25." + fraction.substring(0, digits) + "Z";
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void theEdgesOfTheCanonicalYearsAndTheirNeighbours() {
        for (String text : new String[]{"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z", "2024-02-29T12:00:00Z", "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z"}) {
            Instant at = Instant.parse(text);
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(at);
            assertThat(IsoInstants.format(at)).as(text).isEqualTo(at.toString());
        }
    }

    @Test
    void theWholeRangeOfInstantIsWrittenAsTheJdkWritesIt() {
        for (Instant at : new Instant[]{Instant.MIN, Instant.MAX, Instant.ofEpochSecond(FIRST - 1), Instant.ofEpochSecond(LAST + 1, 1)}) {
            assertThat(IsoInstants.format(at)).isEqualTo(at.toString());
            assertThat(IsoInstants.parse(at.toString())).isEqualTo(at);
        }
    }

    /** Other spellings the JDK accepts are answered by the JDK: the same instant. */
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-28t20:46:25z", "2026-11-28T21:46:25+01:00", "2026-11-28T20:46:25.5+00:00",
            "2016-12-31T23:59:60Z", "2026-11-28T24:00:00Z", "2026-11-28T20:46:25.Z"})
    void otherAcceptedFormsGiveTheJdksAnswer(String text) {
        assertThat(IsoInstants.parse(text)).isEqualTo(Instant.parse(text));
    }

    /** What the JDK refuses is refused the same way, with its own message. */
    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-28T25:00:00Z", "2026-11-28T20:60:00Z",
            "2026-11-28T20:46:25.1234567890Z", "2026-11-28 20:46:25Z", "2026-11-28T20:46:25",
            "2026-11-28T20:46:2xZ", "", "not a time"})
    void refusesWhatTheJdkRefuses(String text) {
        Throwable jdk = catchThrowable(() -> Instant.parse(text));
        assertThat(jdk).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> IsoInstants.parse(text)).isInstanceOf(DateTimeParseException.class).hasMessage(jdk.getMessage());
    }

    @Test
    void nullIsRefusedAsByTheJdk() {
        assertThatThrownBy(() -> IsoInstants.parse(null)).isInstanceOf(NullPointerException.class);
    }
}
