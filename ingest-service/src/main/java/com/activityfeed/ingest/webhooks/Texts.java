package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.EventValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/** Small helpers normalisers share: fit foreign text into the event limits instead of failing. */
final class Texts {
    private Texts() {
    }

    /** Puts the sanitised text, cut to {@code max} code points; nothing when blank. */
    static void put(ObjectNode node, String field, String text, int max) {
        if (text == null) {
            return;
        }
        String clean = EventValidator.sanitise(text, field.equals("description"));
        if (clean.isEmpty()) {
            return;
        }
        if (clean.codePointCount(0, clean.length()) > max) {
            clean = clean.substring(0, clean.offsetByCodePoints(0, max - 1)) + "…";
        }
        node.put(field, clean);
    }

    /** A foreign event name as an event type: lower case, other characters as '_', at most 64. */
    static String type(String prefix, String... parts) {
        StringBuilder type = new StringBuilder(prefix);
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                type.append('.').append(part.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_"));
            }
        }
        return type.length() > 64 ? type.substring(0, 64) : type.toString();
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() || node.isContainerNode() ? null : node.asText();
    }
}
