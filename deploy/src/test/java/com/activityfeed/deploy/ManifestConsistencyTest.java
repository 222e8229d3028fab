package com.activityfeed.deploy;

import com.activityfeed.messages.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import static com.activityfeed.deploy.Manifests.find;
import static com.activityfeed.deploy.Manifests.name;
import static com.activityfeed.deploy.Manifests.ofKind;
import static com.activityfeed.deploy.Manifests.selects;
import static org.assertj.core.api.Assertions.assertThat;

/** The rendered objects fit together, and fit what the services' own configuration reads. */
class ManifestConsistencyTest {

    static final List<String> KUSTOMIZATIONS = Manifests.KUSTOMIZATIONS;

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyServiceSelectsThePodsOfADeploymentOnANamedPort(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        List<String> faults = new ArrayList<>();
        ofKind(all, "Service").forEach(svc -> {
            List<ObjectNode> backing = ofKind(all, "Deployment")
                    .filter(d -> selects(svc.path("spec").path("selector"), podLabels(d))).toList();
            if (backing.isEmpty()) {
                faults.add("Service " + name(svc) + " selects no Deployment's pods");
            }
            for (JsonNode port : svc.path("spec").path("ports")) {
                for (ObjectNode d : backing) {
                    if (!containerPortNames(d).contains(port.path("targetPort").asText())) {
                        faults.add("Service " + name(svc) + " targets port " + port.path("targetPort") + " that " + name(d) + " lacks");
                    }
                }
            }
        });
        ofKind(all, "ServiceMonitor").forEach(sm -> {
            List<ObjectNode> services = ofKind(all, "Service")
                    .filter(s -> selects(sm.path("spec").path("selector"), s.path("metadata").path("labels"))).toList();
            if (services.isEmpty()) {
                faults.add("ServiceMonitor " + name(sm) + " selects no Service");
            }
            for (JsonNode ep : sm.path("spec").path("endpoints")) {
                services.stream().filter(s -> !servicePortNames(s).contains(ep.path("port").asText()))
                        .forEach(s -> faults.add("ServiceMonitor " + name(sm) + " scrapes port " + ep.path("port") + " missing on " + name(s)));
                if (!ep.path("path").asText().equals("/q/metrics")) {
                    faults.add("ServiceMonitor " + name(sm) + " scrapes " + ep.path("path") + ", not /q/metrics");
                }
            }
        });
        ofKind(all, "HorizontalPodAutoscaler").forEach(h -> {
            JsonNode ref = h.path("spec").path("scaleTargetRef");
            if (find(all, ref.path("kind").asText(), ref.path("name").asText()).isEmpty()) {
                faults.add("HorizontalPodAutoscaler " + name(h) + " scales a missing " + ref);
            }
        });
        ofKind(all, "PodDisruptionBudget").forEach(pdb -> {
            if (ofKind(all, "Deployment").noneMatch(d -> selects(pdb.path("spec").path("selector"), podLabels(d)))) {
                faults.add("PodDisruptionBudget " + name(pdb) + " covers no Deployment's pods");
            }
        });
        ofKind(all, "Ingress").forEach(ing -> ing.path("spec").path("rules").forEach(rule -> rule.path("http").path("paths").forEach(path -> {
            JsonNode backend = path.path("backend").path("service");
            var svc = find(all, "Service", backend.path("name").asText());
            if (svc.isEmpty() || !servicePortNames(svc.get()).contains(backend.path("port").path("name").asText())) {
                faults.add("Ingress " + name(ing) + " path " + path.path("path") + " routes to missing " + backend);
            }
        })));
        assertThat(faults).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyReferencedConfigMapSecretAndKeyExists(String kustomization) throws IOException {
        List<ObjectNode> all = Manifests.render(kustomization);
        Map<String, Set<String>> external = externalSecrets();
        List<String> faults = new ArrayList<>();
        for (ObjectNode o : all) {
            references(o, (kind, ref) -> {
                String refName = ref.path("name").asText();
                String key = ref.path("key").asText(null);
                if (kind.equals("ConfigMap")) {
                    var cm = find(all, "ConfigMap", refName);
                    if (cm.isEmpty()) {
                        faults.add(Manifests.id(o) + " references missing ConfigMap " + refName);
                    } else if (key != null && !cm.get().path("data").has(key)) {
                        faults.add(Manifests.id(o) + " references missing key " + key + " of ConfigMap " + refName);
                    }
                    return;
                }
                var rendered = find(all, "Secret", refName);
                Set<String> keys = external.get(refName);
                if (rendered.isPresent()) {
                    if (key != null && !rendered.get().path("data").has(key) && !rendered.get().path("stringData").has(key)) {
                        faults.add(Manifests.id(o) + " references missing key " + key + " of Secret " + refName);
                    }
                } else if (keys == null) {
                    faults.add(Manifests.id(o) + " references Secret " + refName + ", neither rendered nor in external-secrets.tsv");
                } else if (key != null && !keys.contains(key)) {
                    faults.add(Manifests.id(o) + " references key " + key + " of Secret " + refName + ", not in external-secrets.tsv");
                } else if (key == null && !keys.contains("*")) {
                    faults.add(Manifests.id(o) + " takes every key of Secret " + refName + ", which external-secrets.tsv does not declare as open");
                }
            });
        }
        // Secrets CloudNativePG generates exist only if the Cluster they belong to does.
        for (String line : Files.readAllLines(Manifests.k8s().resolve("external-secrets.tsv"))) {
            String[] f = line.split("\t");
            if (!line.startsWith("#") && f.length > 2 && f[2].equals("CloudNativePG")) {
                String cluster = f[0].replaceFirst("-app$", "");
                if (!f[0].endsWith("-app") || find(all, "Cluster", cluster).isEmpty()) {
                    faults.add("external-secrets.tsv: " + f[0] + " is not the app Secret of a rendered CloudNativePG Cluster");
                }
            }
        }
        assertThat(faults).isEmpty();
    }

    @Test
    void everyExternalSecretIsReferencedBySomeOverlay() throws IOException {
        Set<String> referenced = new HashSet<>();
        for (String k : KUSTOMIZATIONS) {
            for (ObjectNode o : Manifests.render(k)) {
                references(o, (kind, ref) -> {
                    if (kind.equals("Secret")) {
                        referenced.add(ref.path("name").asText() + "/" + ref.path("key").asText("*"));
                    }
                });
            }
        }
        Set<String> declared = new TreeSet<>();
        externalSecrets().forEach((n, keys) -> keys.forEach(key -> declared.add(n + "/" + key)));
        assertThat(referenced).containsAll(declared);
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyVariableTheServicesReadIsSet(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        Map<String, Set<String>> missing = new TreeMap<>();
        for (String service : Manifests.SERVICES) {
            JsonNode container = container(all, service);
            Set<String> provided = new HashSet<>();
            container.path("env").forEach(e -> provided.add(e.path("name").asText()));
            container.path("envFrom").forEach(from -> {
                if (from.has("configMapRef")) {
                    find(all, "ConfigMap", from.path("configMapRef").path("name").asText())
                            .ifPresent(cm -> cm.path("data").fieldNames().forEachRemaining(provided::add));
                }
            });
            Set<String> wanted = new TreeSet<>(ServiceSettings.of(service).environmentVariables());
            wanted.removeAll(provided);
            if (!wanted.isEmpty()) {
                missing.put(service, wanted);
            }
        }
        assertThat(missing).as("variables read in application.properties but not set by the Deployment").isEmpty();
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void eachServiceListensOnItsContainerPortAndReachesKafkaThroughTheBootstrapService(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        JsonNode shared = find(all, "ConfigMap", "activity-feed-config").orElseThrow().path("data");
        ObjectNode kafka = ofKind(all, "Kafka").findFirst().orElseThrow();
        Set<String> bootstraps = new TreeSet<>();
        kafka.path("spec").path("kafka").path("listeners").forEach(l -> {
            if (l.path("type").asText().equals("internal") && !l.path("tls").asBoolean()) {
                bootstraps.add(name(kafka) + "-kafka-bootstrap:" + l.path("port").asInt());
            }
        });
        assertThat(bootstraps).contains(shared.path("KAFKA_BOOTSTRAP_SERVERS").asText());

        for (String service : Manifests.SERVICES) {
            String portVariable = service.substring(0, service.indexOf('-')).toUpperCase() + "_PORT";
            JsonNode own = find(all, "ConfigMap", service + "-config").orElseThrow().path("data");
            JsonNode http = container(all, service).path("ports").get(0);
            assertThat(http.path("name").asText()).isEqualTo("http");
            assertThat(own.path(portVariable).asText()).as(service + " " + portVariable).isEqualTo(http.path("containerPort").asText());
        }
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyTopicTheServicesUseIsAKafkaTopicOfTheCluster(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        Set<String> used = new TreeSet<>(Topics.ALL);
        Manifests.SERVICES.forEach(s -> used.addAll(ServiceSettings.of(s).topics()));
        String cluster = name(ofKind(all, "Kafka").findFirst().orElseThrow());
        int brokers = ofKind(all, "KafkaNodePool")
                .filter(p -> p.path("spec").path("roles").toString().contains("broker"))
                .mapToInt(p -> p.path("spec").path("replicas").asInt()).sum();

        Map<String, JsonNode> declared = new TreeMap<>();
        ofKind(all, "KafkaTopic").forEach(t -> {
            assertThat(t.path("metadata").path("labels").path("strimzi.io/cluster").asText()).as(name(t)).isEqualTo(cluster);
            declared.put(t.path("spec").path("topicName").asText(name(t)), t.path("spec"));
        });
        assertThat(declared.keySet()).containsAll(used);
        declared.forEach((topic, spec) -> {
            assertThat(spec.path("partitions").asInt()).as(topic + " partitions").isPositive();
            assertThat(spec.path("replicas").asInt()).as(topic + " replicas").isBetween(1, brokers);
            assertThat(spec.path("config").path("min.insync.replicas").asInt())
                    .as(topic + " min.insync.replicas").isLessThanOrEqualTo(spec.path("replicas").asInt());
            assertThat(spec.path("config").path("retention.ms").asLong()).as(topic + " retention.ms").isPositive();
        });
        if (kustomization.endsWith("prod")) {
            declared.forEach((topic, spec) -> {
                assertThat(spec.path("replicas").asInt()).as(topic + " replicas in prod").isEqualTo(3);
                assertThat(spec.path("config").path("min.insync.replicas").asInt()).as(topic + " min.insync.replicas in prod").isEqualTo(2);
            });
        }
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyContainerHasProbesLimitsAndARestrictedSecurityContext(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        List<String> faults = new ArrayList<>();
        ofKind(all, "Deployment").forEach(d -> {
            JsonNode pod = d.path("spec").path("template").path("spec");
            JsonNode podSecurity = pod.path("securityContext");
            Set<String> tmpVolumes = new HashSet<>();
            pod.path("volumes").forEach(v -> {
                if (v.has("emptyDir")) {
                    tmpVolumes.add(v.path("name").asText());
                }
            });
            if (pod.path("topologySpreadConstraints").isEmpty()) {
                faults.add(name(d) + ": no topology spread constraints");
            }
            for (JsonNode c : pod.path("containers")) {
                String at = name(d) + "/" + c.path("name").asText();
                Map<String, String> probes = Map.of("startupProbe", "/q/health/started",
                        "livenessProbe", "/q/health/live", "readinessProbe", "/q/health/ready");
                probes.forEach((probe, path) -> {
                    JsonNode get = c.path(probe).path("httpGet");
                    if (!get.path("path").asText().equals(path) || !portNames(c).contains(get.path("port").asText())) {
                        faults.add(at + ": " + probe + " must GET " + path + " on a named container port");
                    }
                });
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        if (c.path("resources").path(bound).path(resource).isMissingNode()) {
                            faults.add(at + ": no " + resource + " in resources." + bound);
                        }
                    }
                }
                if (Quantity.bytes(c.at("/resources/requests/memory").asText("0")) > Quantity.bytes(c.at("/resources/limits/memory").asText("0"))
                        || Quantity.millis(c.at("/resources/requests/cpu").asText("0")) > Quantity.millis(c.at("/resources/limits/cpu").asText("0"))) {
                    faults.add(at + ": requests above limits");
                }
                JsonNode sc = c.path("securityContext");
                boolean nonRoot = sc.path("runAsNonRoot").asBoolean(podSecurity.path("runAsNonRoot").asBoolean(false));
                long uid = sc.path("runAsUser").asLong(podSecurity.path("runAsUser").asLong(0));
                String seccomp = sc.path("seccompProfile").path("type").asText(podSecurity.path("seccompProfile").path("type").asText(""));
                if (!nonRoot || uid == 0) {
                    faults.add(at + ": must run as a non-root user id");
                }
                if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
                    faults.add(at + ": root filesystem not read-only");
                }
                if (sc.path("allowPrivilegeEscalation").asBoolean(true)) {
                    faults.add(at + ": privilege escalation allowed");
                }
                if (!sc.path("capabilities").path("drop").toString().contains("\"ALL\"")) {
                    faults.add(at + ": capabilities not dropped");
                }
                if (!seccomp.equals("RuntimeDefault")) {
                    faults.add(at + ": seccomp profile is not RuntimeDefault");
                }
                boolean tmp = false;
                for (JsonNode m : c.path("volumeMounts")) {
                    tmp |= m.path("mountPath").asText().equals("/tmp") && tmpVolumes.contains(m.path("name").asText());
                }
                if (!tmp) {
                    faults.add(at + ": /tmp is not a writable emptyDir");
                }
                String image = c.path("image").asText();
                if (!image.matches(".+[:@].+") || image.endsWith(":latest")) {
                    faults.add(at + ": image " + image + " has no fixed tag");
                }
                if (c.path("lifecycle").path("preStop").isMissingNode()) {
                    faults.add(at + ": no preStop hook to leave the load balancer before SIGTERM");
                }
            }
        });
        assertThat(faults).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void feedDrainsItsStreamsWithinTheGracePeriod(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        ObjectNode feed = find(all, "Deployment", "feed-service").orElseThrow();
        JsonNode pod = feed.path("spec").path("template").path("spec");
        long preStop = container(all, "feed-service").path("lifecycle").path("preStop").path("sleep").path("seconds").asLong();
        Duration shutdown = Duration.parse("PT" + find(all, "ConfigMap", "activity-feed-config").orElseThrow()
                .path("data").path("QUARKUS_SHUTDOWN_TIMEOUT").asText().toUpperCase());
        // Kubernetes counts preStop inside the grace period; keep 10 s for the JVM to exit.
        assertThat(pod.path("terminationGracePeriodSeconds").asLong()).isGreaterThanOrEqualTo(preStop + shutdown.toSeconds() + 10);
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void eachServiceUsesOnlyItsOwnDatabase(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        Map<String, Set<String>> secrets = new TreeMap<>();
        for (String service : Manifests.SERVICES) {
            Set<String> used = new TreeSet<>();
            references(find(all, "Deployment", service).orElseThrow(), (kind, ref) -> {
                String n = ref.path("name").asText();
                if (kind.equals("Secret") && n.endsWith("-db-app")) {
                    used.add(n);
                }
            });
            secrets.put(service, used);
        }
        assertThat(secrets).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ingest-service", Set.of(), "feed-service", Set.of("feed-db-app"), "social-service", Set.of("social-db-app")));
        assertThat(ofKind(all, "Cluster").map(Manifests::name)).containsExactlyInAnyOrder("feed-db", "social-db");
        assertThat(find(all, "Cluster", "feed-db").orElseThrow().at("/spec/bootstrap/initdb/database").asText()).isEqualTo("feed");
        assertThat(find(all, "Cluster", "social-db").orElseThrow().at("/spec/bootstrap/initdb/database").asText()).isEqualTo("social");
    }

    @Test
    void devRunsOneOfEachAndProdAutoscalesBehindDisruptionBudgetsWithBackups() {
        List<ObjectNode> dev = Manifests.render("overlays/dev");
        ofKind(dev, "Deployment").forEach(d -> assertThat(d.path("spec").path("replicas").asInt()).as(name(d)).isEqualTo(1));
        ofKind(dev, "KafkaNodePool").forEach(p -> assertThat(p.path("spec").path("replicas").asInt()).isEqualTo(1));
        ofKind(dev, "Cluster").forEach(c -> assertThat(c.path("spec").path("instances").asInt()).isEqualTo(1));
        assertThat(ofKind(dev, "HorizontalPodAutoscaler")).isEmpty();

        List<ObjectNode> prod = Manifests.render("overlays/prod");
        for (String service : Manifests.SERVICES) {
            ObjectNode d = find(prod, "Deployment", service).orElseThrow();
            // The autoscaler owns the count; a fixed one would be reset on every apply.
            assertThat(d.path("spec").has("replicas")).as(service + " replicas").isFalse();
            JsonNode hpa = find(prod, "HorizontalPodAutoscaler", service).orElseThrow().path("spec");
            assertThat(hpa.path("minReplicas").asInt()).as(service + " minReplicas").isGreaterThanOrEqualTo(2);
            assertThat(hpa.path("maxReplicas").asInt()).isGreaterThan(hpa.path("minReplicas").asInt());
            assertThat(find(prod, "PodDisruptionBudget", service)).as(service + " PodDisruptionBudget").isPresent();
        }
        // At the autoscaler's maximum, every pool together stays below the database's connection limit.
        for (String service : List.of("feed-service", "social-service")) {
            int maxReplicas = find(prod, "HorizontalPodAutoscaler", service).orElseThrow().at("/spec/maxReplicas").asInt();
            int pool = find(prod, "ConfigMap", service + "-config").orElseThrow().at("/data/DB_POOL_MAX").asInt();
            String db = service.replace("-service", "-db");
            int max = find(prod, "Cluster", db).orElseThrow().at("/spec/postgresql/parameters/max_connections").asInt();
            assertThat(maxReplicas * pool + 10).as(service + ": replicas x pool + reserved vs " + db + " max_connections").isLessThan(max);
        }
        ofKind(prod, "KafkaNodePool").forEach(p -> assertThat(p.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(3));
        ofKind(prod, "Cluster").forEach(c -> {
            assertThat(c.path("spec").path("instances").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(c.at("/spec/backup/barmanObjectStore/destinationPath").asText()).isNotEmpty();
            assertThat(ofKind(prod, "ScheduledBackup").filter(b -> b.at("/spec/cluster/name").asText().equals(name(c))))
                    .as("ScheduledBackup of " + name(c)).hasSize(1);
        });
    }

    private static Map<String, Set<String>> externalSecrets() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String line : Files.readAllLines(Manifests.k8s().resolve("external-secrets.tsv"))) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] f = line.split("\t");
                out.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[1]);
            }
        }
        return out;
    }

    /** Every ConfigMap or Secret reference anywhere in an object (env, envFrom, volumes, CNPG credentials). */
    static void references(JsonNode node, BiConsumer<String, JsonNode> sink) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                switch (e.getKey()) {
                    case "configMapRef", "configMapKeyRef" -> sink.accept("ConfigMap", e.getValue());
                    case "secretRef", "secretKeyRef", "accessKeyId", "secretAccessKey" -> sink.accept("Secret", e.getValue());
                    case "configMap" -> sink.accept("ConfigMap", e.getValue());
                    // A Secret volume mounts every key of the Secret.
                    case "secret" -> sink.accept("Secret", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                            .objectNode().put("name", e.getValue().path("secretName").asText()));
                    default -> references(e.getValue(), sink);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> references(child, sink));
        }
    }

    static JsonNode container(List<ObjectNode> all, String service) {
        return find(all, "Deployment", service).orElseThrow().path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static JsonNode podLabels(JsonNode deployment) {
        return deployment.path("spec").path("template").path("metadata").path("labels");
    }

    private static Set<String> containerPortNames(JsonNode deployment) {
        Set<String> names = new HashSet<>();
        deployment.path("spec").path("template").path("spec").path("containers").forEach(c -> names.addAll(portNames(c)));
        return names;
    }

    private static Set<String> portNames(JsonNode container) {
        Set<String> names = new HashSet<>();
        container.path("ports").forEach(p -> {
            names.add(p.path("name").asText());
            names.add(p.path("containerPort").asText());
        });
        return names;
    }

    private static Set<String> servicePortNames(JsonNode service) {
        Set<String> names = new HashSet<>();
        service.path("spec").path("ports").forEach(p -> names.add(p.path("name").asText()));
        return names;
    }
}
