package com.activityfeed.feed.catalog;

import java.util.function.Function;

/**
 * Renders catalog templates: {@code {name}} is replaced by the value {@code lookup} gives, or by
 * the fallback after a bar ({@code {name|fallback}}, which may nest one placeholder) when it gives none.
 */
public final class Templates {
    private Templates() {
    }

    public static String render(String template, Function<String, String> lookup) {
        if (template == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '{') {
                out.append(c);
                i++;
                continue;
            }
            int depth = 0;
            int end = i;
            for (; end < template.length(); end++) {
                if (template.charAt(end) == '{') {
                    depth++;
                } else if (template.charAt(end) == '}' && --depth == 0) {
                    break;
                }
            }
            if (end >= template.length()) {
                out.append(template, i, template.length());
                break;
            }
            String inner = template.substring(i + 1, end);
            int bar = inner.indexOf('|');
            String name = bar < 0 ? inner : inner.substring(0, bar);
            String value = lookup.apply(name);
            if (value == null || value.isBlank()) {
                value = bar < 0 ? "" : render(inner.substring(bar + 1), lookup);
            }
            out.append(value);
            i = end + 1;
        }
        return out.toString().trim();
    }
}
