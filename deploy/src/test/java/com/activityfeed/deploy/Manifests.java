package com.activityfeed.deploy;

import com.activityfeed.deploy.kustomize.Kustomize;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The checkout, the rendered overlays (cached per JVM) and lookups over rendered objects. */
final class Manifests {

    static final List<String> KUSTOMIZATIONS = List.of("base", "overlays/dev", "overlays/prod");
    static final List<String> SERVICES = List.of("ingest-service", "feed-service", "social-service");

    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {
    }

    static Path root() {
        String configured = System.getProperty("afp.root");
        Path root = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..");
        root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("deploy/routes.tsv"))) {
            throw new IllegalStateException("not the checkout root: " + root);
        }
        return root;
    }

    static Path k8s() {
        return root().resolve("deploy/k8s");
    }

    static List<ObjectNode> render(String kustomization) {
        return RENDERED.computeIfAbsent(kustomization, k -> List.copyOf(new Kustomize().render(k8s().resolve(k))));
    }

    static Stream<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind));
    }

    static Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String name) {
        return ofKind(objects, kind).filter(o -> name(o).equals(name)).findFirst();
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    static String id(JsonNode o) {
        return o.path("kind").asText() + "/" + o.path("metadata").path("namespace").asText() + "/" + name(o);
    }

    /** True when every label the selector asks for is on the pod (matchLabels form or a plain map). */
    static boolean selects(JsonNode selector, JsonNode labels) {
        JsonNode wanted = selector.has("matchLabels") || selector.has("matchExpressions")
                ? selector.path("matchLabels") : selector;
        for (Map.Entry<String, JsonNode> e : wanted.properties()) {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            String value = labels.path(expr.path("key").asText()).asText(null);
            List<String> values = expr.path("values").valueStream().map(JsonNode::asText).toList();
            boolean ok = switch (expr.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("operator " + expr);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** application.properties of a service, from its source tree. */
    static Path properties(String service) {
        return root().resolve(service).resolve("src/main/resources/application.properties");
    }
}
