package com.activityfeed.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset this project's
 * manifests use, so that the manifests are checked on a machine without kubectl:
 * {@code resources} (files and kustomization directories), {@code patches} (strategic merge,
 * from {@code path} or inline {@code patch}, optionally with a {@code target} of kind and name
 * regex), {@code namespace} and {@code images}. Anything else in a kustomization is refused
 * rather than silently ignored.
 */
public final class Kustomize {

    private static final Set<String> SUPPORTED_FIELDS =
            Set.of("apiVersion", "kind", "resources", "patches", "namespace", "images");
    private static final Set<String> CLUSTER_SCOPED =
            Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                    "PersistentVolume", "StorageClass", "IngressClass", "PriorityClass");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    /** The objects that {@code kubectl kustomize dir} prints, in resource order. */
    public List<ObjectNode> render(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no kustomization.yaml in " + dir);
        }
        JsonNode k = readAll(file).getFirst();
        k.fieldNames().forEachRemaining(f -> {
            if (!SUPPORTED_FIELDS.contains(f)) {
                throw new IllegalArgumentException(file + ": unsupported kustomization field " + f);
            }
        });
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                objects.addAll(render(p));
            } else {
                readAll(p).forEach(o -> objects.add((ObjectNode) o));
            }
        }
        for (JsonNode patch : k.path("patches")) {
            applyPatch(dir, patch, objects);
        }
        if (k.hasNonNull("namespace")) {
            String ns = k.get("namespace").asText();
            objects.stream()
                    .filter(o -> !CLUSTER_SCOPED.contains(o.path("kind").asText()))
                    .forEach(o -> ((ObjectNode) o.with("metadata")).put("namespace", ns));
        }
        for (JsonNode image : k.path("images")) {
            objects.forEach(o -> setImage(o, image));
        }
        return objects;
    }

    /** Every non-empty YAML document of a file. */
    public List<JsonNode> readAll(Path file) {
        try (var parser = yaml.getFactory().createParser(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            Iterator<JsonNode> it = yaml.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.isObject() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Parses a multi-document YAML text, as printed by {@code kubectl kustomize}. */
    public List<JsonNode> readAll(String text) {
        try (var parser = yaml.getFactory().createParser(text)) {
            List<JsonNode> docs = new ArrayList<>();
            Iterator<JsonNode> it = yaml.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.isObject() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void applyPatch(Path dir, JsonNode spec, List<ObjectNode> objects) {
        List<JsonNode> patches = spec.hasNonNull("path")
                ? readAll(dir.resolve(spec.get("path").asText()))
                : readAll(spec.path("patch").asText());
        JsonNode target = spec.get("target");
        for (JsonNode patch : patches) {
            int applied = 0;
            for (ObjectNode o : objects) {
                if (target != null ? matchesTarget(o, target) : sameObject(o, patch)) {
                    ObjectNode p = patch.deepCopy();
                    if (target != null) {
                        // With a target the patch's own name is a placeholder, as in kustomize.
                        p.with("metadata").remove("name");
                    }
                    StrategicMerge.apply(o, p);
                    applied++;
                }
            }
            if (applied == 0) {
                throw new IllegalArgumentException(dir + ": patch matches no object: " + spec);
            }
        }
    }

    private static boolean sameObject(JsonNode o, JsonNode patch) {
        return o.path("kind").asText().equals(patch.path("kind").asText())
                && o.path("metadata").path("name").asText().equals(patch.path("metadata").path("name").asText());
    }

    private static boolean matchesTarget(JsonNode o, JsonNode target) {
        for (Map.Entry<String, JsonNode> e : target.properties()) {
            String actual = switch (e.getKey()) {
                case "kind" -> o.path("kind").asText();
                case "name" -> o.path("metadata").path("name").asText();
                case "namespace" -> o.path("metadata").path("namespace").asText();
                default -> throw new IllegalArgumentException("unsupported patch target field " + e.getKey());
            };
            // kustomize anchors target regexes at both ends.
            if (!Pattern.compile("^(?:" + e.getValue().asText() + ")$").matcher(actual).matches()) {
                return false;
            }
        }
        return true;
    }

    private static void setImage(JsonNode node, JsonNode image) {
        if (node.isObject()) {
            for (String field : List.of("containers", "initContainers")) {
                if (node.get(field) instanceof ArrayNode containers) {
                    for (JsonNode c : containers) {
                        if (c.hasNonNull("image")) {
                            ((ObjectNode) c).put("image", rewriteImage(c.get("image").asText(), image));
                        }
                    }
                }
            }
            node.forEach(child -> setImage(child, image));
        } else if (node.isArray()) {
            node.forEach(child -> setImage(child, image));
        }
    }

    private static String rewriteImage(String ref, JsonNode image) {
        String name = ref;
        String tag = null;
        int at = ref.indexOf('@');
        if (at >= 0) {
            name = ref.substring(0, at);
            tag = ref.substring(at);
        } else {
            int colon = ref.lastIndexOf(':');
            if (colon > ref.lastIndexOf('/')) {
                name = ref.substring(0, colon);
                tag = ref.substring(colon);
            }
        }
        if (!name.equals(image.path("name").asText())) {
            return ref;
        }
        if (image.hasNonNull("newName")) {
            name = image.get("newName").asText();
        }
        if (image.hasNonNull("digest")) {
            tag = "@" + image.get("digest").asText();
        } else if (image.hasNonNull("newTag")) {
            tag = ":" + image.get("newTag").asText();
        }
        return tag == null ? name : name + tag;
    }
}
