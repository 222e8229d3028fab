package com.activityfeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CloudNativePG publishes no Java model, so its objects are checked against the subset of its
 * API (postgresql.cnpg.io/v1, CloudNativePG 1.30, and the Barman Cloud plugin's
 * barmancloud.cnpg.io/v1 ObjectStore) that these manifests use: every field must be one listed
 * here, with a value of the listed shape. A field not listed is a fault, not a pass.
 * SchemaValidationTest checks the same objects against the operators' full published schemas
 * where those files are present.
 */
final class CloudNativePgRules {

    static final String API_VERSION = "postgresql.cnpg.io/v1";
    static final String PLUGIN_API_VERSION = "barmancloud.cnpg.io/v1";

    private static final Pattern QUANTITY = Pattern.compile("^[0-9]+(\\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$");
    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final Map<String, Object> SECRET_KEY = Map.of("name", NAME, "key", "string");
    private static final Map<String, Object> RESOURCES = Map.of(
            "requests", Map.of("cpu", QUANTITY, "memory", QUANTITY),
            "limits", Map.of("cpu", QUANTITY, "memory", QUANTITY));
    private static final Set<String> COMPRESSION = Set.of("gzip", "bzip2", "snappy");
    private static final Map<String, Object> METADATA = Map.of(
            "name", NAME, "namespace", NAME, "labels", "map", "annotations", "map");

    static final Map<String, Object> CLUSTER = Map.of(
            "apiVersion", "string", "kind", "string", "metadata", METADATA,
            "spec", Map.ofEntries(
                    Map.entry("instances", "int"),
                    Map.entry("imageName", "string"),
                    Map.entry("primaryUpdateStrategy", Set.of("unsupervised", "supervised")),
                    Map.entry("bootstrap", Map.of("initdb", Map.of("database", NAME, "owner", NAME))),
                    Map.entry("postgresql", Map.of("parameters", "map")),
                    Map.entry("storage", Map.of("size", QUANTITY, "storageClass", "string")),
                    Map.entry("walStorage", Map.of("size", QUANTITY, "storageClass", "string")),
                    Map.entry("affinity", Map.of("enablePodAntiAffinity", "bool", "topologyKey", "string",
                            "podAntiAffinityType", Set.of("preferred", "required"))),
                    Map.entry("topologySpreadConstraints", List.of(Map.of("maxSkew", "int", "topologyKey", "string",
                            "whenUnsatisfiable", Set.of("DoNotSchedule", "ScheduleAnyway"),
                            "labelSelector", Map.of("matchLabels", "map")))),
                    Map.entry("resources", RESOURCES),
                    Map.entry("plugins", List.of(Map.of("name", "string", "isWALArchiver", "bool",
                            "parameters", Map.of("barmanObjectName", NAME))))));

    static final Map<String, Object> OBJECT_STORE = Map.of(
            "apiVersion", "string", "kind", "string", "metadata", METADATA,
            "spec", Map.of(
                    "retentionPolicy", Pattern.compile("^[1-9][0-9]*[dwm]$"),
                    "configuration", Map.of(
                            "destinationPath", Pattern.compile("^(s3|gs|https?)://.+"),
                            "endpointURL", Pattern.compile("^https?://.+"),
                            "s3Credentials", Map.of("accessKeyId", SECRET_KEY, "secretAccessKey", SECRET_KEY),
                            "wal", Map.of("compression", COMPRESSION, "maxParallel", "int"),
                            "data", Map.of("compression", COMPRESSION))));

    static final Map<String, Object> SCHEDULED_BACKUP = Map.of(
            "apiVersion", "string", "kind", "string", "metadata", METADATA,
            "spec", Map.of(
                    // CloudNativePG's cron has six fields: seconds first.
                    "schedule", Pattern.compile("^\\S+( \\S+){5}$"),
                    "backupOwnerReference", Set.of("none", "self", "cluster"),
                    "method", Set.of("barmanObjectStore", "volumeSnapshot", "plugin"),
                    "pluginConfiguration", Map.of("name", "string"),
                    "immediate", "bool",
                    "cluster", Map.of("name", NAME)));

    private CloudNativePgRules() {
    }

    static List<String> check(JsonNode o) {
        List<String> faults = new ArrayList<>();
        String id = Manifests.id(o);
        Map<String, Object> schema = switch (o.path("kind").asText()) {
            case "Cluster" -> CLUSTER;
            case "ScheduledBackup" -> SCHEDULED_BACKUP;
            case "ObjectStore" -> OBJECT_STORE;
            default -> null;
        };
        if (schema == null) {
            return List.of(id + ": no rules for CloudNativePG kind " + o.path("kind").asText());
        }
        check(o, schema, id, faults);
        if (schema == CLUSTER) {
            if (o.path("spec").path("instances").asInt(0) < 1) {
                faults.add(id + ": spec.instances must be at least 1");
            }
            for (String required : List.of("/spec/bootstrap/initdb/database", "/spec/bootstrap/initdb/owner", "/spec/storage/size")) {
                if (o.at(required).isMissingNode()) {
                    faults.add(id + ": " + required + " is required");
                }
            }
        } else if (schema == OBJECT_STORE) {
            if (o.at("/spec/configuration/destinationPath").isMissingNode()) {
                faults.add(id + ": ObjectStore needs spec.configuration.destinationPath");
            }
        } else if (o.at("/spec/cluster/name").isMissingNode() || o.at("/spec/schedule").isMissingNode()) {
            faults.add(id + ": ScheduledBackup needs spec.schedule and spec.cluster.name");
        }
        return faults;
    }

    @SuppressWarnings("unchecked")
    private static void check(JsonNode value, Object rule, String path, List<String> faults) {
        switch (rule) {
            case List<?> items -> {
                if (!value.isArray()) {
                    faults.add(path + ": expected a list");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), items.getFirst(), path + "[" + i + "]", faults);
                }
            }
            case Map<?, ?> fields -> {
                if (!value.isObject()) {
                    faults.add(path + ": expected an object");
                    return;
                }
                value.properties().forEach(e -> {
                    Object child = fields.get(e.getKey());
                    if (child == null) {
                        faults.add(path + ": unknown field " + e.getKey());
                    } else {
                        check(e.getValue(), child, path + "." + e.getKey(), faults);
                    }
                });
            }
            case Pattern p -> {
                if (!value.isTextual() || !p.matcher(value.asText()).matches()) {
                    faults.add(path + ": " + value + " does not match " + p);
                }
            }
            case Set<?> allowed -> {
                if (!((Set<String>) allowed).contains(value.asText()) || !value.isTextual()) {
                    faults.add(path + ": " + value + " is not one of " + allowed);
                }
            }
            case String type -> {
                boolean ok = switch (type) {
                    case "string" -> value.isTextual();
                    case "int" -> value.isIntegralNumber();
                    case "bool" -> value.isBoolean();
                    // String-to-string maps: labels, annotations, postgresql.parameters.
                    case "map" -> value.isObject() && value.valueStream().allMatch(JsonNode::isTextual);
                    default -> throw new IllegalArgumentException(type);
                };
                if (!ok) {
                    faults.add(path + ": " + value + " is not a " + type);
                }
            }
            default -> throw new IllegalArgumentException(String.valueOf(rule));
        }
    }
}
