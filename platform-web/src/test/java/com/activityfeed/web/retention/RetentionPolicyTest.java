package com.activityfeed.web.retention;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionPolicyTest {
    @Test
    void aTenantOverrideWinsOverTheDefault() {
        RetentionPolicy policy = new RetentionPolicy("feed.retention", 400, List.of("acme=30", " globex = 730 ", ""));
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        assertThat(policy.days("acme")).isEqualTo(30);
        assertThat(policy.days("globex")).isEqualTo(730);
        assertThat(policy.days("initech")).isEqualTo(400);
        assertThat(policy.cutoff("acme", now)).isEqualTo(now.minus(Duration.ofDays(30)));
        assertThat(policy.cutoff("initech", now)).isEqualTo(Instant.parse("2025-10-23T12:00:00Z"));
    }

    @Test
    void aMalformedSettingStopsTheStart() {
        for (List<String> bad : List.of(List.of("acme"), List.of("acme="), List.of("=30"), List.of("acme=x"),
                List.of("acme=0"), List.of("acme=36501"), List.of("acme=3", "acme=4"))) {
            assertThatThrownBy(() -> new RetentionPolicy("feed.retention", 400, bad)).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new RetentionPolicy("feed.retention", 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feed.retention.default-days");
        assertThatThrownBy(() -> new RetentionPolicy("social.retention", 400, List.of("acme")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("social.retention.tenant-days");
        assertThat(new RetentionPolicy("feed.retention", 36_500, List.of("a=1")).days("a")).isEqualTo(1);
    }
}
