package com.activityfeed.ingest.ids;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdsTest {
    @Test
    void v7CarriesTheTimeAndIncreasesWithinOneMillisecond() {
        Instant at = Instant.parse("2026-11-23T12:00:00.123Z");
        EventIds ids = new EventIds(Clock.fixed(at, ZoneOffset.UTC));
        List<UUID> made = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            made.add(ids.next());
        }
        UUID first = made.getFirst();
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(first.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
        assertThat(new HashSet<>(made)).hasSize(made.size());
        for (int i = 1; i < made.size(); i++) {
            // Time-ordered: the string (and unsigned byte) order follows creation order.
            assertThat(made.get(i).toString()).isGreaterThan(made.get(i - 1).toString());
        }
    }

    @Test
    void v5MatchesTheRfcAlgorithm() {
        // RFC 9562 appendix A.4: the DNS namespace and "www.example.com".
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(EventIds.nameBased(dns, "www.example.com"))
                .isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    }

    @Test
    void keyedIdsDependOnTenantAndKeyOnly() {
        assertThat(EventIds.fromKey("acme", "k1")).isEqualTo(EventIds.fromKey("acme", "k1"));
        assertThat(EventIds.fromKey("acme", "k1")).isNotEqualTo(EventIds.fromKey("globex", "k1"));
        assertThat(EventIds.fromKey("acme", "k1")).isNotEqualTo(EventIds.fromKey("acme", "k2"));
        assertThat(EventIds.fromKey("acme", "k1").version()).isEqualTo(5);
    }
}
