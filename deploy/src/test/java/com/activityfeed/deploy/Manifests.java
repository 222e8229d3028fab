package com.activityfeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The checkout, the overlays as {@code kubectl kustomize} renders them (cached per JVM), and
 * lookups over rendered objects. "overlays/prod" is rendered the way it is applied: through the
 * release overlay that deploy/images/release-overlay.sh writes over it, here with test values
 * for the registry, digests, host and bucket.
 */
final class Manifests {

    static final String NAMESPACE = "activity-feed";
    static final List<String> KUSTOMIZATIONS = List.of("base", "overlays/dev", "overlays/prod");
    static final List<String> OVERLAYS = List.of("overlays/dev", "overlays/prod");
    static final List<String> SERVICES = List.of("ingest-service", "feed-service", "social-service");
    /** Kinds without a namespace among those these manifests use. */
    static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    static final String TEST_REGISTRY = "registry.example.net:5000/platform";
    static final String TEST_HOST = "feed.example.net";
    static final String TEST_BACKUPS = "s3://backups.example.net/activity-feed";

    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();
    private static final ObjectMapper YAML = new YAMLMapper();

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
        return RENDERED.computeIfAbsent(kustomization, k -> List.copyOf(
                k.equals("overlays/prod") ? renderRelease() : kustomize(k8s().resolve(k))));
    }

    private static List<ObjectNode> renderRelease() {
        Path release = release(testDigests());
        try {
            return kustomize(release);
        } finally {
            try (Stream<Path> files = Files.walk(release.getParent())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The release overlay over overlays/prod, written by release-overlay.sh into a fresh directory. */
    static Path release(Map<String, String> digests) {
        try {
            Path dir = Files.createTempDirectory("release-overlay");
            Path digestFile = dir.resolve("digests.txt");
            StringBuilder lines = new StringBuilder();
            digests.forEach((service, digest) -> lines.append(service).append(' ').append(digest).append('\n'));
            Files.writeString(digestFile, lines);
            Path out = dir.resolve("release");
            Result r = run(Map.of("REGISTRY", TEST_REGISTRY, "PUBLIC_HOST", TEST_HOST, "BACKUP_DESTINATION", TEST_BACKUPS,
                            "DIGESTS", digestFile.toString(), "OUT", out.toString()),
                    "bash", root().resolve("deploy/images/release-overlay.sh").toString());
            if (r.exit() != 0) {
                throw new IllegalStateException("release-overlay.sh failed: " + r.err());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A made-up digest per service, as the registry would report it. */
    static Map<String, String> testDigests() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String s : SERVICES) {
            try {
                byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
                out.put(s, "sha256:" + HexFormat.of().formatHex(hash));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** {@code kubectl kustomize DIR}: the same renderer `kubectl apply -k` uses. */
    static List<ObjectNode> kustomize(Path dir) {
        Result r = run(Map.of(), kubectl(), "kustomize", dir.toString());
        if (r.exit() != 0) {
            throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + r.err());
        }
        return readAll(r.out());
    }

    static List<ObjectNode> readAll(String yaml) {
        List<ObjectNode> out = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, ObjectNode.class);
            while (it.hasNext()) {
                ObjectNode o = it.next();
                if (o != null && !o.isEmpty()) {
                    out.add(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String kubectl() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(p -> Path.of(p, "kubectl")).filter(Files::isExecutable).findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(
                        "kubectl is not on the PATH: the manifests are rendered with `kubectl kustomize` (deploy/README.md)"));
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(Map<String, String> env, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            Path err = Files.createTempFile("deploy-test", ".err");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
            }
            String errors = Files.readString(err);
            Files.delete(err);
            return new Result(p.exitValue(), out, errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Stream<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind));
    }

    /** The object of that kind and name in the namespace (references never cross namespaces). */
    static Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String namespace, String name) {
        return ofKind(objects, kind).filter(o -> name(o).equals(name) && namespace(o).equals(namespace)).findFirst();
    }

    /** The object of that kind and name in the platform's namespace. */
    static Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String name) {
        return find(objects, kind, NAMESPACE, name);
    }

    /** A generated ConfigMap by the name it was generated under (the rendered name carries a hash). */
    static Optional<ObjectNode> generatedConfigMap(List<ObjectNode> objects, String name) {
        return ofKind(objects, "ConfigMap").filter(o -> namespace(o).equals(NAMESPACE)
                && (name(o).equals(name) || name(o).matches(java.util.regex.Pattern.quote(name) + "-[a-z0-9]{10}"))).findFirst();
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    static String namespace(JsonNode o) {
        return o.path("metadata").path("namespace").asText();
    }

    static String id(JsonNode o) {
        return o.path("kind").asText() + "/" + namespace(o) + "/" + name(o);
    }

    static JsonNode podLabels(JsonNode deployment) {
        return deployment.path("spec").path("template").path("metadata").path("labels");
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
