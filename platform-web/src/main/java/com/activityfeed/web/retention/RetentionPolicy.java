package com.activityfeed.web.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each tenant's retention in days (SPEC §6a): the default, or the tenant's own. A tenant's cut-off
 * is {@code now} minus its retention; what is older than the cut-off is deleted, what is exactly at
 * it is kept. feed-service and social-service each make one from their own settings
 * ({@code feed.retention.*}, {@code social.retention.*}); errors name the setting.
 */
public final class RetentionPolicy {
    static final int MAX_DAYS = 36_500;

    private final String prefix;
    private final int defaultDays;
    private final Map<String, Integer> tenantDays;

    /**
     * @param prefix    the settings' prefix, e.g. {@code feed.retention}, for the error messages
     * @param overrides {@code tenant=days} entries
     * @throws IllegalArgumentException when a value is out of range or an entry is malformed
     */
    public RetentionPolicy(String prefix, int defaultDays, List<String> overrides) {
        this.prefix = prefix;
        this.defaultDays = check(prefix + ".default-days", defaultDays);
        this.tenantDays = parse(overrides);
    }

    /** Parses {@code tenant=days} entries; anything else is a configuration error, said at start. */
    private Map<String, Integer> parse(List<String> entries) {
        Map<String, Integer> days = new LinkedHashMap<>();
        for (String entry : entries) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.lastIndexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException(prefix + ".tenant-days: '" + e + "' is not tenant=days");
            }
            String tenant = e.substring(0, eq).strip();
            int value;
            try {
                value = Integer.parseInt(e.substring(eq + 1).strip());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(prefix + ".tenant-days: '" + e + "' has no whole number of days");
            }
            if (days.put(tenant, check(prefix + ".tenant-days of " + tenant, value)) != null) {
                throw new IllegalArgumentException(prefix + ".tenant-days names " + tenant + " twice");
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
