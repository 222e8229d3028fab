package com.activityfeed.deploy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities, enough to compare requests with limits. */
final class Quantity {

    private static final Pattern Q = Pattern.compile("^([0-9.]+)([a-zA-Z]*)$");
    private static final Map<String, Long> FACTORS = Map.of(
            "", 1L, "k", 1000L, "M", 1000_000L, "G", 1000_000_000L,
            "Ki", 1024L, "Mi", 1024L * 1024, "Gi", 1024L * 1024 * 1024, "Ti", 1024L * 1024 * 1024 * 1024);

    private Quantity() {
    }

    static long bytes(String q) {
        Matcher m = match(q);
        Long factor = FACTORS.get(m.group(2));
        if (factor == null) {
            throw new IllegalArgumentException("unknown unit in " + q);
        }
        return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor)).longValueExact();
    }

    static long millis(String q) {
        Matcher m = match(q);
        return switch (m.group(2)) {
            case "m" -> new BigDecimal(m.group(1)).longValueExact();
            case "" -> new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1000)).longValueExact();
            default -> throw new IllegalArgumentException("unknown cpu unit in " + q);
        };
    }

    private static Matcher match(String q) {
        Matcher m = Q.matcher(q);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a quantity: " + q);
        }
        return m;
    }
}
