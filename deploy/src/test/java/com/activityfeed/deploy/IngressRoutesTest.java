package com.activityfeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Ingress routes exactly deploy/routes.tsv (SPEC §7), streams without buffering, and the
 * table matches the services' actual routes: every JAX-RS or reactive route a service declares
 * sits under one of its own prefixes, and every prefix leads to something the service serves.
 */
class IngressRoutesTest {

    static final List<String> KUSTOMIZATIONS = Manifests.KUSTOMIZATIONS;

    record Route(String prefix, String service, boolean stream) {
    }

    private static final Pattern PATH = Pattern.compile("@Path\\(\\s*\"([^\"]*)\"\\s*\\)");
    private static final Pattern REACTIVE = Pattern.compile(
            "@Route\\([^)]*path\\s*=\\s*\"([^\"]+)\"|\\brouter\\.(?:get|post|put|patch|delete|route)\\(\\s*\"(/[^\"]*)\"");
    // a declaration at the start of a line, so "record" or "class" in a comment is not taken for one
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^\\s*(?:(?:public|protected|private|final|abstract|static|sealed)\\s+)*(class|interface|record)\\s+\\w+");

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void theIngressRoutesExactlyTheRouteTable(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        Map<String, String> ingress = new TreeMap<>();
        Map<String, JsonNode> annotationsByPrefix = new TreeMap<>();
        // The Ingress that denies the admin API to every address is no route
        // (ProductionReadinessTest.adminRoutesAreDeniedOnThePublicIngress checks it).
        Manifests.ofKind(all, "Ingress").filter(ing -> !ing.at("/metadata/annotations/nginx.ingress.kubernetes.io~1denylist-source-range")
                .asText().equals("0.0.0.0/0,::/0")).forEach(ing -> ing.path("spec").path("rules").forEach(rule ->
                rule.path("http").path("paths").forEach(p -> {
                    assertThat(p.path("pathType").asText()).as(p.path("path").asText()).isEqualTo("Prefix");
                    assertThat(ingress.put(p.path("path").asText(), p.at("/backend/service/name").asText()))
                            .as("path routed twice: " + p.path("path")).isNull();
                    annotationsByPrefix.put(p.path("path").asText(), ing.path("metadata").path("annotations"));
                })));

        Map<String, String> table = new TreeMap<>();
        routes().forEach(r -> table.put(r.prefix(), r.service()));
        assertThat(ingress).isEqualTo(table);

        for (Route r : routes()) {
            JsonNode a = annotationsByPrefix.get(r.prefix());
            if (r.stream()) {
                assertThat(a.path("nginx.ingress.kubernetes.io/proxy-buffering").asText()).as(r.prefix()).isEqualTo("off");
                assertThat(a.path("nginx.ingress.kubernetes.io/proxy-read-timeout").asInt()).as(r.prefix()).isGreaterThanOrEqualTo(3600);
                assertThat(a.path("nginx.ingress.kubernetes.io/proxy-send-timeout").asInt()).as(r.prefix()).isGreaterThanOrEqualTo(3600);
            }
        }
        // Ingest's own 1 MiB limit must be the one that answers (as problem+json), not nginx's.
        for (Route r : routes()) {
            if (r.service().equals("ingest-service")) {
                assertThat(Quantity.bytes(annotationsByPrefix.get(r.prefix()).path("nginx.ingress.kubernetes.io/proxy-body-size").asText("1Mi")
                        .replace("m", "Mi").replace("k", "Ki"))).as(r.prefix() + " body size").isGreaterThan(1024 * 1024);
            }
        }
    }

    @Test
    void everyRouteTheServicesDeclareIsReachedThroughItsOwnPrefix() {
        List<String> faults = new ArrayList<>();
        List<Route> routes = routes();
        for (String service : Manifests.SERVICES) {
            for (String endpoint : endpoints(service)) {
                List<Route> owners = routes.stream().filter(r -> under(endpoint, r.prefix())).toList();
                if (owners.isEmpty()) {
                    faults.add(service + " serves " + endpoint + ", which no route reaches");
                } else if (owners.stream().noneMatch(r -> r.service().equals(service))) {
                    faults.add(service + " serves " + endpoint + ", but the route table sends it to " + owners.getFirst().service());
                }
            }
        }
        assertThat(faults).isEmpty();
    }

    /**
     * Every prefix leads to something its service serves, unless pending-routes.tsv lists it as
     * not built yet in this checkout.
     */
    @Test
    void everyPrefixLeadsToAnImplementedRoute() throws IOException {
        Set<String> pending = new TreeSet<>();
        for (String line : Files.readAllLines(Manifests.k8s().resolve("pending-routes.tsv"))) {
            if (!line.startsWith("#") && !line.isBlank()) {
                pending.add(line.split("\t")[0]);
            }
        }
        List<String> faults = new ArrayList<>();
        for (Route r : routes()) {
            boolean served = endpoints(r.service()).stream().anyMatch(e -> under(e, r.prefix()))
                    || Files.isDirectory(Manifests.root().resolve(r.service()).resolve("src/main/resources/META-INF/resources" + r.prefix()));
            if (!served && !pending.contains(r.prefix())) {
                faults.add(r.prefix() + " -> " + r.service() + ": the service serves nothing there");
            }
        }
        assertThat(faults).isEmpty();
    }

    @Test
    void endpointsAreReadFromClassAndMethodPaths() {
        assertThat(endpoints("ingest-service")).contains("/api/v1/events");
        assertThat(under("/api/v1/feed/stream", "/api/v1/feed")).isTrue();
        assertThat(under("/api/v1/feedback", "/api/v1/feed")).isFalse();
    }

    static List<Route> routes() {
        try {
            return Files.readAllLines(Manifests.root().resolve("deploy/routes.tsv")).stream()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("\t"))
                    .map(f -> new Route(f[0], f[1], f[2].equals("yes")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean under(String endpoint, String prefix) {
        return endpoint.equals(prefix) || endpoint.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    /** Absolute paths of the service's JAX-RS resources and reactive routes, read from its sources. */
    static Set<String> endpoints(String service) {
        Set<String> out = new TreeSet<>();
        Path src = Manifests.root().resolve(service).resolve("src/main/java");
        if (!Files.isDirectory(src)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                Matcher type = TYPE.matcher(text);
                int typeAt = type.find() ? type.start() : 0;
                String base = "";
                List<String> methods = new ArrayList<>();
                Matcher m = PATH.matcher(text);
                while (m.find()) {
                    if (m.start() < typeAt) {
                        base = m.group(1);
                    } else {
                        methods.add(m.group(1));
                    }
                }
                if (!base.isEmpty()) {
                    out.add(join(base, ""));
                }
                for (String method : methods) {
                    out.add(join(base, method));
                }
                Matcher r = REACTIVE.matcher(text);
                while (r.find()) {
                    out.add(join("", r.group(1) != null ? r.group(1) : r.group(2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String join(String base, String path) {
        String joined = ("/" + base + "/" + path).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
