package com.activityfeed.social.paging;

import com.activityfeed.web.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorTest {
    @Test
    void roundTripsAtMicrosecondPrecision() {
        Cursor cursor = new Cursor(Instant.parse("2026-11-23T14:00:00.123456Z"), UUID.randomUUID());
        assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
        Cursor early = new Cursor(Instant.parse("1969-12-31T23:59:59.999999Z"), UUID.randomUUID());
        assertThat(Cursor.decode(early.encode())).isEqualTo(early);
    }

    @Test
    void noCursorIsNullAndAForeignOneIs400() {
        assertThat(Cursor.decode(null)).isNull();
        assertThat(Cursor.decode("")).isNull();
        for (String bad : new String[]{"garbage!", "MTIz", "eDp5", "MTIzOm5vdC1hLXV1aWQ"}) {
            assertThatThrownBy(() -> Cursor.decode(bad)).as(bad)
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(400));
        }
    }

    @Test
    void limitDefaultsTo20AndMustBeBetween1And100() {
        assertThat(Cursor.limit(null)).isEqualTo(20);
        assertThat(Cursor.limit(1)).isEqualTo(1);
        assertThat(Cursor.limit(100)).isEqualTo(100);
        assertThatThrownBy(() -> Cursor.limit(0)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> Cursor.limit(101)).isInstanceOf(ProblemException.class);
    }
}
