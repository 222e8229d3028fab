package com.activityfeed.social.housekeeping;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each tenant's retention in days, from {@link RetentionConfig}: the default, or the tenant's own.
 * A tenant's cut-off is {@code now} minus its retention; what is older than the cut-off is deleted,
 * what is exactly at it is kept.
 */
@ApplicationScoped
public class RetentionPolicy {
    static final int MAX_DAYS = 36_500;

    private final int defaultDays;
    private final Map<String, Integer> tenantDays;

    @Inject
    public RetentionPolicy(RetentionConfig config) {
        this(config.defaultDays(), config.tenantDays().orElse(List.of()));
    }

    RetentionPolicy(int defaultDays, List<String> overrides) {
        this.defaultDays = check("social.retention.default-days", defaultDays);
        this.tenantDays = parse(overrides);
    }

    /** Parses {@code tenant=days} entries; anything else is a configuration error, said at start. */
    static Map<String, Integer> parse(List<String> entries) {
        Map<String, Integer> days = new LinkedHashMap<>();
        for (String entry : entries) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.lastIndexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException("social.retention.tenant-days: '" + e + "' is not tenant=days");
            }
            String tenant = e.substring(0, eq).strip();
            int value;
            try {
                value = Integer.parseInt(e.substring(eq + 1).strip());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("social.retention.tenant-days: '" + e + "' has no whole number of days");
            }
            if (days.put(tenant, check("social.retention.tenant-days of " + tenant, value)) != null) {
                throw new IllegalArgumentException("social.retention.tenant-days names " + tenant + " twice");
            }
        }
        return Map.copyOf(days);
    }

    private static int check(String what, int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_DAYS + " days, not " + days);
        }
        return days;
    }

    public int days(String tenant) {
        return tenantDays.getOrDefault(tenant, defaultDays);
    }

    /** The oldest instant {@code tenant} keeps at {@code now}: anything strictly before it goes. */
    public Instant cutoff(String tenant, Instant now) {
        return now.minus(Duration.ofDays(days(tenant)));
    }

    public Map<String, Integer> overrides() {
        return tenantDays;
    }
}
