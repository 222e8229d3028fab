package com.activityfeed.ingest.webhooks;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every documented webhook setting given the way Kubernetes gives it, as an environment variable
 * (the real SmallRye environment source, as the service reads it), and faults that must stop the
 * start-up whichever source carries them.
 */
class WebhookSettingsTest {
    private static WebhookSettings fromEnv(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(WebhookConfig.class)
                .build();
        return new WebhookSettings(config.getConfigMapping(WebhookConfig.class), env);
    }

    private static WebhookSettings fromProperties(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(WebhookConfig.class)
                .build();
        return new WebhookSettings(config.getConfigMapping(WebhookConfig.class), Map.of());
    }

    @Test
    void githubSecretFromTheEnvironment() {
        WebhookSettings s = fromEnv(Map.of("INGEST_WEBHOOKS_TENANTS_ACME_GITHUB_SECRET", "gh"));
        assertThat(s.tenant("acme").orElseThrow().githubSecret()).contains("gh");
    }

    @Test
    void hubspotClientSecretFromTheEnvironment() {
        WebhookSettings s = fromEnv(Map.of("INGEST_WEBHOOKS_TENANTS_ACME_HUBSPOT_CLIENT_SECRET", "hs"));
        assertThat(s.tenant("acme").orElseThrow().hubspotClientSecret()).contains("hs");
    }

    @Test
    void salesforceOrganizationIdFromTheEnvironment() {
        WebhookSettings s = fromEnv(Map.of("INGEST_WEBHOOKS_TENANTS_ACME_SALESFORCE_ORGANIZATION_ID", "00D5g000004ABCDEAA"));
        assertThat(s.tenant("acme").orElseThrow().salesforceOrganizationId()).contains("00D5g000004ABCDEAA");
    }

    @Test
    void hubspotToleranceAndPublicBaseUrlFromTheEnvironment() {
        WebhookSettings s = fromEnv(Map.of("INGEST_WEBHOOKS_HUBSPOT_TOLERANCE", "2m",
                "INGEST_WEBHOOKS_PUBLIC_BASE_URL", "https://feed.example.com"));
        assertThat(s.hubspotTolerance()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.publicBaseUrl()).contains("https://feed.example.com");
    }

    @Test
    void everyGenericFieldAndConstantFromTheEnvironment() {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("INGEST_WEBHOOKS_TENANTS_ACME_GENERIC_SECRET", "s");
        env.put("INGEST_WEBHOOKS_TENANTS_ACME_GENERIC_ITEMS", "/alerts");
        for (String field : WebhookSettings.GENERIC_FIELDS) {
            String var = field.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            env.put("INGEST_WEBHOOKS_TENANTS_ACME_GENERIC_FIELDS_" + var, "/" + field);
            env.put("INGEST_WEBHOOKS_TENANTS_ACME_GENERIC_CONSTANTS_" + var, "c-" + field);
        }
        WebhookSettings.Generic generic = fromEnv(env).tenant("acme").orElseThrow().generic().orElseThrow();
        assertThat(generic.secret()).isEqualTo("s");
        assertThat(generic.items()).contains("/alerts");
        assertThat(generic.fields()).hasSize(WebhookSettings.GENERIC_FIELDS.size())
                .containsEntry("occurred-at", "/occurred-at").containsEntry("idempotency-key", "/idempotency-key")
                .containsEntry("entity-type", "/entity-type").containsEntry("actor-id", "/actor-id");
        assertThat(generic.constants()).hasSize(WebhookSettings.GENERIC_FIELDS.size())
                .containsEntry("correlation-id", "c-correlation-id").containsEntry("expires-at", "c-expires-at");
    }

    @Test
    void aDashedTenantFromTheEnvironment() {
        // The key quoted, as SmallRye spells a quote in a variable name: one more underscore each side.
        WebhookSettings s = fromEnv(Map.of("INGEST_WEBHOOKS_TENANTS__ACME_CORP__GITHUB_SECRET", "gh",
                "INGEST_WEBHOOKS_TENANTS__ACME_CORP__GENERIC_SECRET", "g",
                "INGEST_WEBHOOKS_TENANTS__ACME_CORP__GENERIC_FIELDS_TYPE", "/kind"));
        assertThat(s.tenants()).containsOnlyKeys("acme-corp");
        assertThat(s.tenant("acme-corp").orElseThrow().githubSecret()).contains("gh");
        assertThat(s.tenant("acme-corp").orElseThrow().generic().orElseThrow().fields()).containsEntry("type", "/kind");
    }

    @Test
    void aVariableThatSetsNothingStopsTheStart() {
        // Unquoted, the dashed tenant cannot be told from the setting name: without the check it is silently ignored.
        assertThatThrownBy(() -> fromEnv(Map.of("INGEST_WEBHOOKS_TENANTS_ACME_CORP_GITHUB_SECRET", "gh")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("INGEST_WEBHOOKS_TENANTS_ACME_CORP_GITHUB_SECRET sets no webhook setting");
        assertThatThrownBy(() -> fromEnv(Map.of("INGEST_WEBHOOKS_TENANTS_ACME_GITHUB_SECRET", "gh",
                "INGEST_WEBHOOKS_TENANTS_ACME_GITHUB_SECRETS", "typo")))
                .hasMessageContaining("GITHUB_SECRETS sets no webhook setting");
    }

    @Test
    void propertiesKeepTheirDashedNames() {
        WebhookSettings s = fromProperties(Map.of("ingest.webhooks.tenants.acme-corp.generic.secret", "g",
                "ingest.webhooks.tenants.acme-corp.generic.fields.occurred-at", "/at",
                "ingest.webhooks.tenants.acme-corp.generic.constants.type", "alert"));
        WebhookSettings.Generic generic = s.tenant("acme-corp").orElseThrow().generic().orElseThrow();
        assertThat(generic.fields()).containsEntry("occurred-at", "/at");
        assertThat(generic.constants()).containsEntry("type", "alert");
    }

    @Test
    void anUnknownGenericFieldStopsTheStartInEitherForm() {
        assertThatThrownBy(() -> fromEnv(Map.of("INGEST_WEBHOOKS_TENANTS_ACME_GENERIC_SECRET", "s",
                "INGEST_WEBHOOKS_TENANTS_ACME_GENERIC_FIELDS_TYPE", "/t",
                "INGEST_WEBHOOKS_TENANTS_ACME_GENERIC_FIELDS_COLOUR", "/c")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown event field");
        assertThatThrownBy(() -> fromProperties(Map.of("ingest.webhooks.tenants.acme.generic.secret", "s",
                "ingest.webhooks.tenants.acme.generic.fields.type", "/t",
                "ingest.webhooks.tenants.acme.generic.fields.colour", "/c")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("colour");
    }

    @Test
    void otherFaultsStopTheStart() {
        assertThatThrownBy(() -> fromProperties(Map.of("ingest.webhooks.tenants.acme.generic.secret", "s",
                "ingest.webhooks.tenants.acme.generic.fields.type", "no-slash")))
                .hasMessageContaining("not a JSON pointer");
        assertThatThrownBy(() -> fromProperties(Map.of("ingest.webhooks.tenants.acme.generic.secret", "s")))
                .hasMessageContaining("maps no type");
        assertThatThrownBy(() -> fromProperties(Map.of("ingest.webhooks.tenants.acme.salesforce-organization-id", "00D")))
                .hasMessageContaining("15- or 18-character");
        assertThatThrownBy(() -> fromProperties(Map.of("ingest.webhooks.tenants.Not!A!Tenant.github-secret", "x")))
                .hasMessageContaining("not a tenant id");
        assertThatThrownBy(() -> fromProperties(Map.of("ingest.webhooks.tenants.acme.github-secret", " ")))
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> fromProperties(Map.of("ingest.webhooks.hubspot-tolerance", "0s")))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> fromProperties(Map.of("ingest.webhooks.public-base-url", "feed.example.com")))
                .hasMessageContaining("absolute http(s) URL");
        assertThatThrownBy(() -> fromProperties(Map.of("ingest.webhooks.tenants.acme-corp.github-secret", "a",
                "ingest.webhooks.tenants.acme_corp.github-secret", "b")))
                .hasMessageContaining("configured twice");
    }
}
