package com.activityfeed.ingest.webhooks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Webhook secrets and mappings per tenant, e.g. {@code ingest.webhooks.tenants.acme.github-secret}
 * (environment: {@code INGEST_WEBHOOKS_TENANTS_ACME_GITHUB_SECRET}). A source that has no setting
 * for a tenant answers 404 for it; CloudEvents need none (they carry a JWT). The sources read it
 * through {@link WebhookSettings}, which checks it at start-up and puts the names that
 * environment variables mangle (tenant ids, generic field names) back in canonical form.
 */
@ConfigMapping(prefix = "ingest.webhooks")
public interface WebhookConfig {
    Map<String, TenantWebhooks> tenants();

    /** How far a HubSpot v3 request timestamp may be from now (HubSpot documents 5 minutes). */
    @WithDefault("5m")
    Duration hubspotTolerance();

    /**
     * The public base URL HubSpot calls (e.g. {@code https://feed.example.com}), as it signs the
     * full URL; when absent the request's own URL is used (correct without a rewriting proxy).
     */
    Optional<String> publicBaseUrl();

    interface TenantWebhooks {
        /** GitHub webhook secret (X-Hub-Signature-256). */
        Optional<String> githubSecret();

        /** HubSpot app client secret (X-HubSpot-Signature-v3). */
        Optional<String> hubspotClientSecret();

        /** The Salesforce organisation id (15 or 18 characters) whose outbound messages are accepted. */
        Optional<String> salesforceOrganizationId();

        Optional<GenericMapping> generic();
    }

    /** JSON-pointer mapping of a generic webhook body to events. */
    interface GenericMapping {
        /** HMAC-SHA256 secret; requests carry {@code X-Signature-256: sha256=<hex of HMAC(body)>}. */
        String secret();

        /** Pointer to an array of items, each one event; absent: the whole body is one event. */
        Optional<String> items();

        /**
         * Event field to JSON pointer within an item (from the environment the name may arrive
         * as {@code occurred.at} or {@code occurred_at}: both mean {@code occurred-at}). Fields: type, title, description, source,
         * priority, correlation-id, occurred-at, expires-at, idempotency-key, actor-id, actor-name,
         * entity-type, entity-id, entity-name, tags, payload.
         */
        Map<String, String> fields();

        /** Event field to constant value, used when the pointer finds nothing (or there is none). */
        Map<String, String> constants();
    }
}
