package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.EventValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Trims a webhook payload over the event limit (16 KiB) so the event is kept rather than refused:
 * the largest values go first (a long text is cut, an array loses its tail, an object is trimmed
 * inside, by the same rule), so the small identifying fields a normaliser puts at the top survive.
 * A trimmed payload says so with {@code payloadTruncated: true}.
 */
final class Payloads {
    static final String TRUNCATED = "payloadTruncated";
    /** Values this small are dropped whole rather than cut further. */
    private static final int SMALL = 64;

    private Payloads() {
    }

    /** Trims {@code payload} in place to at most {@code limit} bytes serialised; true when it had to. */
    static boolean fit(ObjectNode payload, int limit) {
        if (size(payload) <= limit) {
            return false;
        }
        payload.put(TRUNCATED, true);
        // Bounded: each round removes or shrinks the largest value; the count caps pathological shapes.
        for (int round = 0; round < 1_000 && size(payload) > limit; round++) {
            shrink(payload, size(payload) - limit);
        }
        if (size(payload) > limit) {
            payload.removeAll();
            payload.put(TRUNCATED, true);
        }
        return true;
    }

    /** Takes at least {@code excess} bytes out of the container, from its largest member. */
    private static void shrink(JsonNode container, int excess) {
        String largestName = null;
        int largest = -1;
        if (container instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                int size = size(field.getValue()) + field.getKey().length();
                if (!field.getKey().equals(TRUNCATED) && size > largest) {
                    largest = size;
                    largestName = field.getKey();
                }
            }
        } else if (container instanceof ArrayNode array) {
            // An array loses its tail first: the first items are usually the ones that matter.
            int removed = 0;
            while (!array.isEmpty() && removed < excess) {
                JsonNode last = array.get(array.size() - 1);
                int size = size(last) + 1;
                if (size > excess - removed + SMALL && last.isContainerNode() && !last.isEmpty()) {
                    shrink(last, excess - removed);
                    return;
                }
                array.remove(array.size() - 1);
                removed += size;
            }
            return;
        }
        if (largestName == null) {
            return;
        }
        ObjectNode object = (ObjectNode) container;
        JsonNode value = object.get(largestName);
        if (largest <= excess + SMALL) {
            object.remove(largestName);
        } else if (value.isTextual()) {
            String text = value.asText();
            int keep = Math.max(0, text.length() - excess - 8);
            // Do not split a surrogate pair.
            if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
                keep--;
            }
            object.set(largestName, TextNode.valueOf(text.substring(0, keep) + "…"));
        } else if (value.isContainerNode() && !value.isEmpty()) {
            shrink(value, excess);
        } else {
            object.remove(largestName);
        }
    }

    private static int size(JsonNode node) {
        return EventValidator.serialisedSize(node);
    }
}
