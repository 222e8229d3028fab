package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.EventValidator;
import com.fasterxml.jackson.core.JsonPointer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The webhook configuration, checked and put in canonical form once, at start-up: a fault in it
 * stops the service with a message naming every bad setting, instead of failing requests later.
 * <p>
 * Keys are canonicalised because Kubernetes sets them as environment variables, where a dash, a
 * dot and an underscore all become {@code _}: {@code INGEST_WEBHOOKS_TENANTS_ACME_GENERIC_FIELDS_OCCURRED_AT}
 * reaches the mapping as the field {@code occurred.at} or {@code occurred_at}, and a tenant
 * {@code acme-corp} as {@code acme.corp} or {@code acme_corp}. Neither tenant ids nor event field
 * names contain dots or underscores, so each of them can only have been a dash.
 */
@Startup
@ApplicationScoped
public class WebhookSettings {
    static final String PREFIX = "ingest.webhooks";
    /** Mapped event fields of a generic webhook. */
    static final Set<String> GENERIC_FIELDS = Set.of("type", "title", "description", "source", "priority",
            "correlation-id", "occurred-at", "expires-at", "idempotency-key", "actor-id", "actor-name", "entity-type",
            "entity-id", "entity-name", "tags", "payload");

    /** One tenant's settings, names canonical. */
    public record Tenant(Optional<String> githubSecret, Optional<String> hubspotClientSecret,
                         Optional<String> salesforceOrganizationId, Optional<Generic> generic) {
    }

    /** A generic mapping with canonical field names (e.g. {@code occurred-at}). */
    public record Generic(String secret, Optional<String> items, Map<String, String> fields,
                          Map<String, String> constants) {
    }

    private final Map<String, Tenant> tenants;
    private final Duration hubspotTolerance;
    private final Optional<String> publicBaseUrl;

    @Inject
    public WebhookSettings(WebhookConfig config) {
        this(config, System.getenv());
    }

    /** @param environment the process environment, checked for webhook variables that configure nothing */
    WebhookSettings(WebhookConfig config, Map<String, String> environment) {
        List<String> faults = new ArrayList<>();
        this.tenants = tenants(config, faults);
        this.hubspotTolerance = config.hubspotTolerance();
        if (hubspotTolerance.isNegative() || hubspotTolerance.isZero()) {
            faults.add(PREFIX + ".hubspot-tolerance must be positive, was " + hubspotTolerance);
        }
        this.publicBaseUrl = config.publicBaseUrl().map(String::strip).filter(s -> !s.isEmpty());
        publicBaseUrl.ifPresent(url -> {
            try {
                URI uri = new URI(url);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    faults.add(PREFIX + ".public-base-url must be an absolute http(s) URL, was " + url);
                }
            } catch (URISyntaxException e) {
                faults.add(PREFIX + ".public-base-url is not a URL: " + url);
            }
        });
        unusedVariables(environment, faults);
        if (!faults.isEmpty()) {
            throw new IllegalStateException("invalid webhook configuration:\n  " + String.join("\n  ", faults));
        }
    }

    public Optional<Tenant> tenant(String tenant) {
        return Optional.ofNullable(tenants.get(tenant));
    }

    public Map<String, Tenant> tenants() {
        return tenants;
    }

    public Duration hubspotTolerance() {
        return hubspotTolerance;
    }

    public Optional<String> publicBaseUrl() {
        return publicBaseUrl;
    }

    /** A tenant id or field name as written in configuration, in canonical (dashed, lower-case) form. */
    static String canonical(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replace('.', '-').replace('_', '-');
    }

    /**
     * A webhook variable that sets nothing is a mistake that would otherwise show only as 404s,
     * typically a tenant id with a dash written without quotes ({@code _ACME_CORP_} instead of
     * {@code __ACME_CORP__}), which the configuration cannot split from the setting's name.
     */
    private void unusedVariables(Map<String, String> environment, List<String> faults) {
        Set<String> used = new java.util.HashSet<>(Set.of("INGEST_WEBHOOKS_HUBSPOT_TOLERANCE", "INGEST_WEBHOOKS_PUBLIC_BASE_URL"));
        tenants.forEach((tenant, settings) -> {
            String upper = tenant.toUpperCase(Locale.ROOT).replace('-', '_');
            for (String key : List.of(upper, "_" + upper + "_")) {
                String base = "INGEST_WEBHOOKS_TENANTS_" + key + "_";
                settings.githubSecret().ifPresent(x -> used.add(base + "GITHUB_SECRET"));
                settings.hubspotClientSecret().ifPresent(x -> used.add(base + "HUBSPOT_CLIENT_SECRET"));
                settings.salesforceOrganizationId().ifPresent(x -> used.add(base + "SALESFORCE_ORGANIZATION_ID"));
                settings.generic().ifPresent(generic -> {
                    used.add(base + "GENERIC_SECRET");
                    used.add(base + "GENERIC_ITEMS");
                    generic.fields().keySet().forEach(f -> used.add(base + "GENERIC_FIELDS_" + f.toUpperCase(Locale.ROOT).replace('-', '_')));
                    generic.constants().keySet().forEach(f -> used.add(base + "GENERIC_CONSTANTS_" + f.toUpperCase(Locale.ROOT).replace('-', '_')));
                });
            }
        });
        new TreeSet<>(environment.keySet()).stream()
                .filter(name -> name.startsWith("INGEST_WEBHOOKS_") && !used.contains(name))
                .forEach(name -> faults.add("environment variable " + name + " sets no webhook setting (a tenant id with a dash"
                        + " is quoted: INGEST_WEBHOOKS_TENANTS__ACME_CORP__GITHUB_SECRET for tenant acme-corp)"));
    }

    private static Map<String, Tenant> tenants(WebhookConfig config, List<String> faults) {
        Map<String, Tenant> out = new TreeMap<>();
        Map<String, String> givenAs = new LinkedHashMap<>();
        config.tenants().forEach((key, hooks) -> {
            String tenant = canonical(key);
            String where = PREFIX + ".tenants." + key;
            if (!EventValidator.TENANT.matcher(tenant).matches()) {
                faults.add(where + ": " + key + " is not a tenant id (" + EventValidator.TENANT.pattern() + ")");
                return;
            }
            String earlier = givenAs.putIfAbsent(tenant, key);
            if (earlier != null) {
                faults.add(where + ": tenant " + tenant + " is configured twice, as " + earlier + " and as " + key);
                return;
            }
            Optional<String> github = secret(hooks.githubSecret(), where + ".github-secret", faults);
            Optional<String> hubspot = secret(hooks.hubspotClientSecret(), where + ".hubspot-client-secret", faults);
            Optional<String> organisation = hooks.salesforceOrganizationId().map(String::strip);
            organisation.ifPresent(id -> {
                if (!id.matches("[A-Za-z0-9]{15}|[A-Za-z0-9]{18}")) {
                    faults.add(where + ".salesforce-organization-id must be a 15- or 18-character Salesforce id, was " + id);
                }
            });
            Optional<Generic> generic = hooks.generic().map(mapping -> generic(mapping, where + ".generic", faults));
            out.put(tenant, new Tenant(github, hubspot, organisation, generic));
        });
        return Map.copyOf(out);
    }

    private static Optional<String> secret(Optional<String> value, String where, List<String> faults) {
        if (value.isPresent() && value.get().isBlank()) {
            faults.add(where + " is blank");
        }
        return value;
    }

    private static Generic generic(WebhookConfig.GenericMapping mapping, String where, List<String> faults) {
        if (mapping.secret().isBlank()) {
            faults.add(where + ".secret is blank");
        }
        mapping.items().ifPresent(pointer -> pointer(pointer, where + ".items", faults));
        Map<String, String> fields = fields(mapping.fields(), where + ".fields", faults, true);
        Map<String, String> constants = fields(mapping.constants(), where + ".constants", faults, false);
        if (!fields.containsKey("type") && !constants.containsKey("type")) {
            faults.add(where + " maps no type: set fields.type (a JSON pointer) or constants.type");
        }
        return new Generic(mapping.secret(), mapping.items(), fields, constants);
    }

    private static Map<String, String> fields(Map<String, String> given, String where, List<String> faults,
                                              boolean pointers) {
        Map<String, String> out = new TreeMap<>();
        given.forEach((key, value) -> {
            String field = canonical(key);
            if (!GENERIC_FIELDS.contains(field)) {
                faults.add(where + "." + key + ": unknown event field " + key + "; known: " + new TreeSet<>(GENERIC_FIELDS));
                return;
            }
            if (out.containsKey(field)) {
                faults.add(where + "." + key + ": field " + field + " is given twice");
                return;
            }
            if (pointers) {
                pointer(value, where + "." + key, faults);
            }
            out.put(field, value);
        });
        return Map.copyOf(out);
    }

    private static void pointer(String pointer, String where, List<String> faults) {
        try {
            JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            faults.add(where + " is not a JSON pointer (RFC 6901, e.g. /data/id): " + pointer);
        }
    }
}
