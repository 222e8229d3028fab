package com.activityfeed.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Strategic merge patch for the lists this project patches: built-in kinds merge
 * {@code containers}, {@code initContainers}, {@code env} and {@code volumes} by {@code name} and
 * {@code volumeMounts} by {@code mountPath}; every other list is replaced. Custom resources have
 * no merge keys, so kustomize treats them as JSON merge patches: lists replaced. A null deletes
 * the field in both. Patch directives ({@code $patch}, {@code $setElementOrder}) are refused.
 */
public final class StrategicMerge {

    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath");

    private StrategicMerge() {
    }

    public static void apply(ObjectNode target, ObjectNode patch) {
        merge(target, patch, isBuiltIn(target.path("apiVersion").asText()));
    }

    /** Core and {@code *.k8s.io} groups have schemas with merge keys; CRDs (dotted groups) do not. */
    static boolean isBuiltIn(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    private static void merge(ObjectNode target, ObjectNode patch, boolean builtIn) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String field = e.getKey();
            JsonNode value = e.getValue();
            if (field.startsWith("$")) {
                throw new IllegalArgumentException("patch directive not supported: " + field);
            }
            JsonNode existing = target.get(field);
            if (value.isNull()) {
                target.remove(field);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, (ObjectNode) value, builtIn);
            } else if (value.isArray() && existing != null && existing.isArray()
                    && builtIn && MERGE_KEYS.containsKey(field)) {
                mergeList((ArrayNode) existing, (ArrayNode) value, MERGE_KEYS.get(field), builtIn);
            } else {
                target.set(field, value.deepCopy());
            }
        }
    }

    private static void mergeList(ArrayNode target, ArrayNode patch, String key, boolean builtIn) {
        List<JsonNode> added = new ArrayList<>();
        for (JsonNode item : patch) {
            JsonNode match = null;
            for (JsonNode t : target) {
                if (t.path(key).equals(item.path(key))) {
                    match = t;
                }
            }
            if (match == null) {
                added.add(item.deepCopy());
            } else {
                merge((ObjectNode) match, (ObjectNode) item, builtIn);
            }
        }
        added.forEach(target::add);
    }
}
