package com.activityfeed.feed.catalog;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TypeCatalogTest {
    @Test
    void builtInTypesRenderSeedTemplates() {
        TypeInfo badge = TypeCatalog.builtIn().get("badge_earned");
        assertThat(badge.displayName()).isEqualTo("Badge earned");
        Map<String, String> values = Map.of("actor", "Ada", "badgeName", "Sprint Champion", "count", "5");
        assertThat(Templates.render(badge.singleTemplate(), values::get)).isEqualTo("Ada earned Sprint Champion");
        assertThat(Templates.render(badge.groupTemplate(), values::get)).isEqualTo("5 badges earned");
        assertThat(Templates.render(badge.singleTemplate(), Map.of("actor", "Ada")::get)).isEqualTo("Ada earned a badge");
        assertThat(TypeCatalog.builtIn().all()).extracting(TypeInfo::type).containsExactly("badge_earned", "xp_rank_up",
                "challenge_completed", "streak_milestone", "tasks_burst", "all_tasks_cleared");
    }

    @Test
    void nestedFallbackUsesTheEntity() {
        TypeInfo challenge = TypeCatalog.builtIn().get("challenge_completed");
        assertThat(Templates.render(challenge.singleTemplate(), Map.of("actor", "Bob", "entity", "Q4 push")::get))
                .isEqualTo("Bob completed Q4 push");
    }

    @Test
    void unknownTypesAreHumanised() {
        TypeInfo deploy = TypeCatalog.builtIn().get("deploy.finished");
        assertThat(deploy.displayName()).isEqualTo("Deploy finished");
        assertThat(deploy.icon()).isEqualTo(TypeCatalog.DEFAULT_ICON);
        assertThat(deploy.builtIn()).isFalse();
        assertThat(TypeCatalog.builtIn().get("lead_status-changed").displayName()).isEqualTo("Lead status changed");
    }
}
