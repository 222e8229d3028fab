package com.activityfeed.feed.catalog;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookTypesTest {
    @Test
    void webhookTypesHaveEntriesButAreNotListedWithTheBuiltInSix() {
        TypeCatalog catalog = TypeCatalog.builtIn();
        TypeInfo run = catalog.get("github.workflow_run.completed");
        assertThat(run.displayName()).isEqualTo("Workflow run");
        assertThat(run.icon()).isNotEqualTo(TypeCatalog.DEFAULT_ICON);
        assertThat(run.grouping().key().wire()).isEqualTo("type+entity");
        assertThat(Templates.render(run.groupTemplate(), Map.of("count", "4")::get)).isEqualTo("4 workflow runs");
        assertThat(Templates.render(run.singleTemplate(), Map.of("entity", "CI", "conclusion", "failure")::get))
                .isEqualTo("Workflow CI failure");
        assertThat(catalog.get("hubspot.deal.propertychange").displayName()).isEqualTo("Deal changed");
        assertThat(catalog.get("hubspot.company.creation").groupTemplate()).isEqualTo("{count} companies created");
        assertThat(catalog.get("salesforce.opportunity").icon()).isEqualTo("💼");
        assertThat(catalog.all()).hasSize(6);
    }

    @Test
    void everyEntryIsAValidEventTypeWithAGroupLine() {
        assertThat(WebhookTypes.all()).hasSizeGreaterThan(60);
        WebhookTypes.all().values().forEach(t -> {
            assertThat(t.type()).matches("^[a-z][a-z0-9_.-]{0,63}$");
            assertThat(t.groupTemplate()).startsWith("{count} ");
            assertThat(t.displayName()).doesNotContain("Github");
        });
    }
}
