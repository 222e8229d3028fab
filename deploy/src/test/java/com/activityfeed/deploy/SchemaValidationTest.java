package com.activityfeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Every rendered object validates against the schema its API server applies: the CRD
 * openAPIV3Schema published by its operator (Strimzi, CloudNativePG, the Barman Cloud plugin,
 * the Prometheus operator) and Kubernetes' own OpenAPI definitions for built-in kinds, read
 * offline from the pinned copies listed in deploy/k8s/schemas.tsv. As with kubectl's strict
 * field validation, a field the schema does not declare is an error (except where the schema
 * preserves unknown fields), and so is a wrong type, a missing required field or a value
 * outside an enum or pattern.
 */
class SchemaValidationTest {

    static final List<String> KUSTOMIZATIONS = Manifests.KUSTOMIZATIONS;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static Map<String, JsonNode> crds;
    private static JsonNode swagger;
    private static Map<String, String> builtIn;
    /** Why validation cannot run here, or null when the schema files are in place. */
    private static String unavailable;

    /** Where the pinned schema files are: -Dafp.k8s.schemas, else shared/k8s-schemas beside the checkout. */
    static Path schemaDir() {
        String configured = System.getProperty("afp.k8s.schemas");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Manifests.root().getParent().resolve("shared/k8s-schemas");
    }

    @BeforeAll
    static void load() throws IOException {
        Path dir = schemaDir();
        if (!Files.isDirectory(dir)) {
            // Reported as skipped tests with this reason, and in deploy/README.md.
            unavailable = "SCHEMA VALIDATION DID NOT RUN: the pinned schema files of deploy/k8s/schemas.tsv are not at "
                    + dir + " (set -Dafp.k8s.schemas=DIR)";
            System.getLogger(SchemaValidationTest.class.getName()).log(System.Logger.Level.WARNING, unavailable);
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String line : Files.readAllLines(Manifests.k8s().resolve("schemas.tsv"))) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] f = line.split("\t");
                Path file = dir.resolve(f[0]);
                if (!Files.isRegularFile(file)) {
                    missing.add(f[0]);
                } else if (!sha256(file).equals(f[4])) {
                    missing.add(f[0] + " (sha256 differs from schemas.tsv)");
                }
            }
        }
        assertThat(missing).as("schema files in " + dir).isEmpty();
        crds = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = YAML.getFactory().createParser(f.toFile())) {
                    var docs = YAML.readValues(parser, JsonNode.class);
                    while (docs.hasNext()) {
                        JsonNode crd = docs.next();
                        if (crd == null || !crd.path("kind").asText().equals("CustomResourceDefinition")) {
                            continue;
                        }
                        String group = crd.at("/spec/group").asText();
                        String kind = crd.at("/spec/names/kind").asText();
                        for (JsonNode v : crd.at("/spec/versions")) {
                            if (v.path("served").asBoolean()) {
                                crds.put(group + "/" + v.path("name").asText() + "/" + kind, v.at("/schema/openAPIV3Schema"));
                            }
                        }
                    }
                }
            }
        }
        swagger = JSON.readTree(dir.resolve("kubernetes-1.36/swagger.json").toFile());
        builtIn = new HashMap<>();
        swagger.path("definitions").properties().forEach(e -> e.getValue().path("x-kubernetes-group-version-kind").forEach(gvk -> {
            String group = gvk.path("group").asText();
            builtIn.put((group.isEmpty() ? "" : group + "/") + gvk.path("version").asText() + "/" + gvk.path("kind").asText(), e.getKey());
        }));
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyObjectValidatesAgainstItsPublishedSchema(String kustomization) {
        assumeThat(unavailable).as(unavailable).isNull();
        List<String> faults = new ArrayList<>();
        for (ObjectNode o : Manifests.render(kustomization)) {
            faults.addAll(validate(o));
        }
        assertThat(faults).isEmpty();
    }

    @Test
    void unknownFieldsWrongTypesAndMissingRequiredFieldsAreRefused() {
        assumeThat(unavailable).as(unavailable).isNull();
        List<ObjectNode> base = Manifests.render("base");
        ObjectNode kafka = Manifests.ofKind(base, "Kafka").findFirst().orElseThrow().deepCopy();
        ((ObjectNode) kafka.at("/spec/kafka")).put("listenerz", "x");
        assertThat(validate(kafka)).singleElement().asString().contains("listenerz");

        ObjectNode cluster = Manifests.find(base, "Cluster", "feed-db").orElseThrow().deepCopy();
        ((ObjectNode) cluster.at("/spec")).put("instances", "three");
        assertThat(validate(cluster)).isNotEmpty();

        ObjectNode deployment = Manifests.find(base, "Deployment", "feed-service").orElseThrow().deepCopy();
        ((ObjectNode) deployment.at("/spec")).put("revisionHistoryLimit", "five");
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("livenessProbes", "x");
        assertThat(validate(deployment)).hasSize(2);

        ObjectNode monitor = Manifests.ofKind(base, "PodMonitor").findFirst().orElseThrow().deepCopy();
        ((ObjectNode) monitor.at("/spec")).remove("selector");
        assertThat(validate(monitor)).singleElement().asString().contains("selector");
    }

    private static List<String> validate(ObjectNode o) {
        String type = o.path("apiVersion").asText() + "/" + o.path("kind").asText();
        Schema schema = SCHEMAS.computeIfAbsent(type, SchemaValidationTest::schemaOf);
        if (schema == null) {
            return List.of(Manifests.id(o) + ": no published schema for " + type + " among the pinned files");
        }
        List<String> faults = new ArrayList<>();
        for (Error e : schema.validate(o)) {
            faults.add(Manifests.id(o) + ": " + e);
        }
        return faults;
    }

    private static Schema schemaOf(String type) {
        JsonNode root;
        if (crds.containsKey(type)) {
            root = strict(crds.get(type));
        } else if (builtIn.containsKey(type)) {
            ObjectNode doc = JSON.createObjectNode();
            doc.put("$ref", "#/definitions/" + builtIn.get(type));
            ObjectNode definitions = doc.putObject("definitions");
            for (String name : closure(builtIn.get(type))) {
                definitions.set(name, strict(swagger.path("definitions").path(name)));
            }
            root = doc;
        } else {
            return null;
        }
        return REGISTRY.getSchema(SchemaLocation.of("urn:activity-feed:schema:" + type.replace('/', ':')), root);
    }

    /** Every definition a Kubernetes type refers to, transitively. */
    private static Set<String> closure(String start) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (seen.add(name)) {
                refs(swagger.path("definitions").path(name), todo);
            }
        }
        return seen;
    }

    private static void refs(JsonNode node, Deque<String> sink) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    sink.push(e.getValue().asText().replaceFirst("^#/definitions/", ""));
                } else {
                    refs(e.getValue(), sink);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> refs(n, sink));
        }
    }

    /**
     * The OpenAPI schema as JSON Schema with the API server's strictness: objects with declared
     * properties take no others (unless x-kubernetes-preserve-unknown-fields), int-or-string and
     * quantities accept both forms, nullable admits null; Kubernetes' own extensions and formats
     * are dropped (the server does not validate formats either).
     */
    static JsonNode strict(JsonNode schema) {
        if (schema.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            schema.forEach(n -> out.add(strict(n)));
            return out;
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode out = JSON.createObjectNode();
        schema.properties().forEach(e -> {
            String key = e.getKey();
            if (key.startsWith("x-kubernetes-") || key.equals("format") || key.equals("description") || key.equals("nullable")) {
                return;
            }
            if (key.equals("properties") || key.equals("definitions") || key.equals("patternProperties")) {
                ObjectNode props = out.putObject(key);
                e.getValue().properties().forEach(p -> props.set(p.getKey(), strict(p.getValue())));
            } else {
                out.set(key, strict(e.getValue()));
            }
        });
        boolean intOrString = schema.path("x-kubernetes-int-or-string").asBoolean(false)
                || schema.path("format").asText().equals("int-or-string");
        if (intOrString || schema.path("format").asText().equals("quantity")) {
            out.remove("type");
            out.putArray("type").add("integer").add("number").add("string");
        }
        if (schema.path("nullable").asBoolean(false) && out.has("type") && out.path("type").isTextual()) {
            String t = out.path("type").asText();
            out.putArray("type").add(t).add("null");
        }
        if (schema.has("properties") && !schema.has("additionalProperties")
                && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            out.put("additionalProperties", false);
        }
        return out;
    }

    private static String sha256(Path file) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            return java.util.HexFormat.of().formatHex(hash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
