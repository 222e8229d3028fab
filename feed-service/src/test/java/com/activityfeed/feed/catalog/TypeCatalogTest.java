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

    /** The numbers and names an event carries are said, not a vague fallback ("finished 10+ tasks"). */
    @Test
    void singleTemplatesNameWhatTheEventSays() {
        TypeCatalog catalog = TypeCatalog.builtIn();
        String tasks = catalog.get("tasks_burst").singleTemplate();
        assertThat(Templates.render(tasks, Map.of("actor", "Ada", "tasks", "11")::get)).isEqualTo("Ada finished 11 tasks in a day");
        assertThat(Templates.render(tasks, Map.of("actor", "Ada", "tasksDone", "12")::get)).isEqualTo("Ada finished 12 tasks in a day");
        assertThat(Templates.render(tasks, Map.of("actor", "Ada", "tasksCompleted", "13")::get)).isEqualTo("Ada finished 13 tasks in a day");
        assertThat(Templates.render(tasks, Map.of("actor", "Ada")::get)).isEqualTo("Ada finished 10+ tasks in a day");
        String badge = catalog.get("badge_earned").singleTemplate();
        assertThat(Templates.render(badge, Map.of("actor", "Ada", "entity", "Night Owl")::get)).isEqualTo("Ada earned Night Owl");
        String rank = catalog.get("xp_rank_up").singleTemplate();
        assertThat(Templates.render(rank, Map.of("actor", "Alan", "entity", "Gold")::get)).isEqualTo("Alan reached Gold");
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
