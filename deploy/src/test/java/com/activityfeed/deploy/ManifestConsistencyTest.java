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
    void everyNamespacedObjectIsInThePlatformsNamespace(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        List<String> faults = new ArrayList<>();
        for (ObjectNode o : all) {
            String ns = Manifests.namespace(o);
            if (Manifests.CLUSTER_SCOPED.contains(o.path("kind").asText()) != ns.isEmpty()
                    || !ns.isEmpty() && !ns.equals(Manifests.NAMESPACE)) {
                faults.add(Manifests.id(o) + ": namespace '" + ns + "'");
            }
        }
        assertThat(faults).isEmpty();
        assertThat(find(all, "Namespace", "", Manifests.NAMESPACE)).as("the Namespace object itself").isPresent();
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyReferenceResolvesWithinItsNamespace(String kustomization) throws IOException {
        List<ObjectNode> all = Manifests.render(kustomization);
        List<Pods.Pod> pods = Pods.of(all);
        Map<String, Map<String, String>> external = externalSecrets();
        List<String> faults = new ArrayList<>();
        for (ObjectNode o : all) {
            String ns = Manifests.namespace(o);
            String at = Manifests.id(o);
            references(o, (kind, ref) -> {
                String refName = ref.path("name").asText();
                String key = ref.path("key").asText(null);
                if (kind.equals("ConfigMap")) {
                    var cm = find(all, "ConfigMap", ns, refName);
                    if (cm.isEmpty()) {
                        faults.add(at + " references ConfigMap " + refName + ", not in namespace '" + ns + "'");
                    } else if (key != null && !cm.get().path("data").has(key)) {
                        faults.add(at + " references missing key " + key + " of ConfigMap " + refName);
                    }
                    return;
                }
                var rendered = find(all, "Secret", ns, refName);
                Map<String, String> keys = external.get(refName);
                if (rendered.isPresent()) {
                    if (key != null && !rendered.get().path("data").has(key) && !rendered.get().path("stringData").has(key)) {
                        faults.add(at + " references missing key " + key + " of Secret " + refName);
                    }
                } else if (keys == null) {
                    faults.add(at + " references Secret " + refName + ", neither rendered nor in external-secrets.tsv");
                } else if (key != null && !keys.containsKey(key)) {
                    faults.add(at + " references key " + key + " of Secret " + refName + ", not in external-secrets.tsv");
                } else if (key == null && !keys.containsKey("*")) {
                    faults.add(at + " takes every key of Secret " + refName + ", which external-secrets.tsv does not declare as open");
                } else {
                    String provider = keys.values().iterator().next();
                    operatorSecretOwner(all, ns, refName, provider).ifPresent(missing -> faults.add(at + " references " + missing));
                }
            });
            JsonNode spec = o.path("spec");
            switch (o.path("kind").asText()) {
                case "HorizontalPodAutoscaler" -> {
                    JsonNode ref = spec.path("scaleTargetRef");
                    if (find(all, ref.path("kind").asText(), ns, ref.path("name").asText()).isEmpty()) {
                        faults.add(at + " scales " + ref.path("kind").asText() + " " + ref.path("name").asText() + ", not in namespace '" + ns + "'");
                    }
                }
                case "PodDisruptionBudget" -> {
                    if (ofKind(all, "Deployment").noneMatch(d -> Manifests.namespace(d).equals(ns)
                            && selects(spec.path("selector"), Manifests.podLabels(d)))) {
                        faults.add(at + " covers no Deployment's pods in namespace '" + ns + "'");
                    }
                }
                case "ScheduledBackup" -> {
                    if (find(all, "Cluster", ns, spec.at("/cluster/name").asText()).isEmpty()) {
                        faults.add(at + " backs up Cluster " + spec.at("/cluster/name").asText() + ", not in namespace '" + ns + "'");
                    }
                }
                case "Cluster" -> spec.path("plugins").forEach(plugin -> {
                    String store = plugin.at("/parameters/barmanObjectName").asText();
                    if (find(all, "ObjectStore", ns, store).isEmpty()) {
                        faults.add(at + " archives to ObjectStore " + store + ", not in namespace '" + ns + "'");
                    }
                });
                case "KafkaTopic", "KafkaUser", "KafkaNodePool" -> {
                    String cluster = o.at("/metadata/labels/strimzi.io~1cluster").asText();
                    if (find(all, "Kafka", ns, cluster).isEmpty()) {
                        faults.add(at + " belongs to Kafka '" + cluster + "', not in namespace '" + ns + "'");
                    }
                }
                case "NetworkPolicy" -> {
                    if (!spec.path("podSelector").isEmpty()
                            && pods.stream().noneMatch(p -> p.namespace().equals(ns) && selects(spec.path("podSelector"), p.labels()))) {
                        faults.add(at + " applies to no pod in namespace '" + ns + "'");
                    }
                }
                case "PodMonitor" -> {
                    if (pods.stream().noneMatch(p -> p.namespace().equals(ns) && selects(spec.path("selector"), p.labels()))) {
                        faults.add(at + " scrapes no pod in namespace '" + ns + "'");
                    }
                }
                case "ServiceMonitor" -> {
                    if (ofKind(all, "Service").noneMatch(svc -> Manifests.namespace(svc).equals(ns)
                            && selects(spec.path("selector"), svc.path("metadata").path("labels")))) {
                        faults.add(at + " scrapes no Service in namespace '" + ns + "'");
                    }
                }
                case "Ingress" -> spec.path("rules").forEach(rule -> rule.path("http").path("paths").forEach(path -> {
                    String svc = path.at("/backend/service/name").asText();
                    if (find(all, "Service", ns, svc).isEmpty()) {
                        faults.add(at + " routes " + path.path("path").asText() + " to Service " + svc + ", not in namespace '" + ns + "'");
                    }
                }));
                default -> {
                }
            }
        }
        assertThat(faults).isEmpty();
    }

    /** A Secret an operator writes exists only where its owner is rendered, in the same namespace. */
    private static java.util.Optional<String> operatorSecretOwner(List<ObjectNode> all, String ns, String secret, String provider) {
        boolean owned = switch (provider) {
            case "CloudNativePG" -> (secret.endsWith("-app") || secret.endsWith("-ca"))
                    && find(all, "Cluster", ns, secret.replaceFirst("-(app|ca)$", "")).isPresent();
            case "Strimzi" -> find(all, "KafkaUser", ns, secret).isPresent()
                    || secret.endsWith("-cluster-ca-cert") && find(all, "Kafka", ns, secret.replaceFirst("-cluster-ca-cert$", "")).isPresent();
            default -> true;
        };
        return owned ? java.util.Optional.empty()
                : java.util.Optional.of("Secret " + secret + " whose " + provider + " owner is not in namespace '" + ns + "'");
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
        externalSecrets().forEach((n, keys) -> keys.keySet().forEach(key -> declared.add(n + "/" + key)));
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

    /**
     * A setting that applies in a cluster (no profile, or %prod) never falls back to a loopback
     * address: a pod whose database or broker variable is missing must fail to start, not look for
     * them on itself. Dev mode and tests keep their local defaults under %dev and %test.
     */
    @Test
    void noSettingThatAppliesInAClusterDefaultsToALoopbackAddress() {
        Map<String, String> loopback = new TreeMap<>();
        for (String service : Manifests.SERVICES) {
            ServiceSettings.of(service).clusterValues().forEach((key, value) -> {
                if (value.matches("(?s).*(\\blocalhost\\b|127\\.0\\.0\\.1|\\[::1]).*")) {
                    loopback.put(service + ": " + key, value);
                }
            });
        }
        assertThat(loopback).as("cluster settings with a loopback value or default").isEmpty();
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void eachServiceListensOnItsContainerPortAndReachesKafkaThroughTheBootstrapService(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        JsonNode shared = Manifests.generatedConfigMap(all, "activity-feed-config").orElseThrow().path("data");
        ObjectNode kafka = ofKind(all, "Kafka").findFirst().orElseThrow();
        // Clients reach Kafka only over TLS with SCRAM-SHA-512, each as its own KafkaUser.
        Set<String> bootstraps = new TreeSet<>();
        kafka.path("spec").path("kafka").path("listeners").forEach(l -> {
            assertThat(l.path("tls").asBoolean()).as("listener " + l.path("name") + " uses TLS").isTrue();
            assertThat(l.at("/authentication/type").asText()).as("listener " + l.path("name") + " authenticates")
                    .isIn("scram-sha-512", "tls");
            if (l.path("type").asText().equals("internal") && l.at("/authentication/type").asText().equals("scram-sha-512")) {
                bootstraps.add(name(kafka) + "-kafka-bootstrap." + Manifests.namespace(kafka) + ".svc:" + l.path("port").asInt());
            }
        });
        assertThat(kafka.at("/spec/kafka/authorization/type").asText()).as("ACLs enforced").isEqualTo("simple");
        assertThat(bootstraps).contains(shared.path("KAFKA_BOOTSTRAP_SERVERS").asText());
        assertThat(shared.path("KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
        assertThat(shared.path("KAFKA_SASL_MECHANISM").asText()).isEqualTo("SCRAM-SHA-512");
        assertThat(shared.path("KAFKA_SSL_TRUSTSTORE_TYPE").asText()).isEqualTo("PEM");
        for (String service : Manifests.SERVICES) {
            Map<String, JsonNode> env = new TreeMap<>();
            container(all, service).path("env").forEach(e -> env.put(e.path("name").asText(), e));
            assertThat(env.get("KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/name").asText()).as(service + " Kafka login")
                    .isEqualTo(service);
            assertThat(find(all, "KafkaUser", service)).as("KafkaUser " + service).isPresent();
            JsonNode ca = env.get("KAFKA_SSL_TRUSTSTORE_CERTIFICATES").at("/valueFrom/secretKeyRef");
            assertThat(ca.path("name").asText() + "/" + ca.path("key").asText()).isEqualTo(name(kafka) + "-cluster-ca-cert/ca.crt");
        }

        for (String service : Manifests.SERVICES) {
            String portVariable = service.substring(0, service.indexOf('-')).toUpperCase() + "_PORT";
            JsonNode own = Manifests.generatedConfigMap(all, service + "-config").orElseThrow().path("data");
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
        Duration shutdown = Duration.parse("PT" + Manifests.generatedConfigMap(all, "activity-feed-config").orElseThrow()
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
            assertThat(hpa.at("/scaleTargetRef/name").asText()).isEqualTo(service);
            assertThat(hpa.path("minReplicas").asInt()).as(service + " minReplicas").isGreaterThanOrEqualTo(2);
            assertThat(hpa.path("maxReplicas").asInt()).isGreaterThan(hpa.path("minReplicas").asInt());
            JsonNode pdb = find(prod, "PodDisruptionBudget", service).orElseThrow().path("spec");
            assertThat(selects(pdb.path("selector"), podLabels(d))).as(service + " PodDisruptionBudget selects its pods").isTrue();
        }
        ofKind(prod, "KafkaNodePool").forEach(p -> assertThat(p.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(3));
        ofKind(prod, "Cluster").forEach(c -> {
            assertThat(c.path("spec").path("instances").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(ofKind(prod, "ScheduledBackup").filter(b -> b.at("/spec/cluster/name").asText().equals(name(c))))
                    .as("ScheduledBackup of " + name(c)).hasSize(1);
        });
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void databaseConnectionsLeaveHeadroom(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        for (String service : List.of("feed-service", "social-service")) {
            ObjectNode d = find(all, "Deployment", service).orElseThrow();
            int replicas = find(all, "HorizontalPodAutoscaler", service).map(h -> h.at("/spec/maxReplicas").asInt())
                    .orElse(d.at("/spec/replicas").asInt(1));
            // A rolling update runs maxSurge more pods, each with a full pool, next to the old ones.
            int surge = d.at("/spec/strategy/rollingUpdate/maxSurge").asInt(1);
            int pool = Manifests.generatedConfigMap(all, service + "-config").orElseThrow().at("/data/DB_POOL_MAX").asInt();
            String db = service.replace("-service", "-db");
            int max = find(all, "Cluster", db).orElseThrow().at("/spec/postgresql/parameters/max_connections").asInt();
            // superuser_reserved_connections (3), the instances' replication and the operator's
            // own connections: 20; the rest is headroom for maintenance and a pool that grows.
            int reserved = 20;
            assertThat((replicas + surge) * pool + reserved)
                    .as(service + ": (max replicas %d + surge %d) x pool %d + reserved %d vs 80%% of %s max_connections %d",
                            replicas, surge, pool, reserved, db, max)
                    .isLessThanOrEqualTo(max * 8 / 10);
        }
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void heapAndDirectMemoryLeaveRoomUnderTheContainerLimit(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        List<String> faults = new ArrayList<>();
        for (String service : Manifests.SERVICES) {
            JsonNode c = container(all, service);
            long limit = Quantity.bytes(c.at("/resources/limits/memory").asText());
            String options = Manifests.generatedConfigMap(all, service + "-config").orElseThrow().at("/data/JDK_JAVA_OPTIONS").asText("");
            // Without -Xmx the image sizes the heap at 75 % of the limit, and direct memory may
            // grow as large as the heap: both are what this check refuses.
            long heap = jvmSize(options, "-Xmx").orElse(limit * 3 / 4);
            long direct = jvmSize(options, "-XX:MaxDirectMemorySize=").orElse(heap);
            // Metaspace, code cache, thread stacks, GC structures of a Quarkus service.
            long rest = 192L * 1024 * 1024;
            if (heap + direct + rest > limit) {
                faults.add(service + ": heap " + heap / 1048576 + " MiB + direct " + direct / 1048576 + " MiB + 192 MiB > limit "
                        + limit / 1048576 + " MiB");
            }
        }
        assertThat(faults).isEmpty();
    }

    private static java.util.Optional<Long> jvmSize(String options, String flag) {
        for (String o : options.split("\\s+")) {
            if (o.startsWith(flag)) {
                String v = o.substring(flag.length()).toLowerCase();
                long unit = switch (v.charAt(v.length() - 1)) {
                    case 'k' -> 1024L;
                    case 'm' -> 1024L * 1024;
                    case 'g' -> 1024L * 1024 * 1024;
                    default -> 1L;
                };
                return java.util.Optional.of(Long.parseLong(v.replaceAll("[kmg]$", "")) * unit);
            }
        }
        return java.util.Optional.empty();
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void servicesReachTheirDatabaseOverVerifiedTls(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        for (String service : List.of("feed-service", "social-service")) {
            String db = service.replace("-service", "-db");
            JsonNode c = container(all, service);
            String url = c.path("env").valueStream().filter(e -> e.path("name").asText().equals("DB_URL"))
                    .findFirst().orElseThrow().path("value").asText();
            assertThat(url).as(service + " DB_URL").startsWith("jdbc:postgresql://" + db + "-rw." + Manifests.NAMESPACE + ".svc:5432/")
                    .contains("sslmode=verify-full");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("sslrootcert=([^&]+)").matcher(url);
            assertThat(m.find()).as(service + " names the CA file").isTrue();
            String caFile = m.group(1);
            JsonNode pod = find(all, "Deployment", service).orElseThrow().at("/spec/template/spec");
            boolean mounted = c.path("volumeMounts").valueStream().anyMatch(vm -> {
                String dir = vm.path("mountPath").asText();
                return caFile.startsWith(dir + "/") && pod.path("volumes").valueStream().anyMatch(v ->
                        v.path("name").asText().equals(vm.path("name").asText())
                                && v.at("/secret/secretName").asText().equals(db + "-ca")
                                && v.at("/secret/items").valueStream().anyMatch(i -> (dir + "/" + i.path("path").asText()).equals(caFile)
                                && i.path("key").asText().equals("ca.crt")));
            });
            assertThat(mounted).as(service + ": " + caFile + " is ca.crt of Secret " + db + "-ca").isTrue();
        }
    }

    /** external-secrets.tsv: Secret name -> key -> who provides it (installer, CloudNativePG, Strimzi). */
    private static Map<String, Map<String, String>> externalSecrets() throws IOException {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String line : Files.readAllLines(Manifests.k8s().resolve("external-secrets.tsv"))) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] f = line.split("\t");
                out.computeIfAbsent(f[0], k -> new TreeMap<>()).put(f[1], f[2]);
            }
        }
        return out;
    }

    /**
     * Every ConfigMap or Secret reference anywhere in an object (env, envFrom, volumes, Ingress
     * certificates, object store credentials, Strimzi's metrics configuration).
     */
    static void references(JsonNode node, BiConsumer<String, JsonNode> sink) {
        var nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        if (node.isObject()) {
            node.properties().forEach(e -> {
                switch (e.getKey()) {
                    case "configMapRef", "configMapKeyRef" -> sink.accept("ConfigMap", e.getValue());
                    case "secretRef", "secretKeyRef", "accessKeyId", "secretAccessKey" -> sink.accept("Secret", e.getValue());
                    case "configMap" -> sink.accept("ConfigMap", e.getValue());
                    // A Secret volume mounts the listed keys, or every key of the Secret.
                    case "secret" -> {
                        String secret = e.getValue().path("secretName").asText();
                        if (e.getValue().has("items")) {
                            e.getValue().path("items").forEach(item -> sink.accept("Secret",
                                    nodes.objectNode().put("name", secret).put("key", item.path("key").asText())));
                        } else {
                            sink.accept("Secret", nodes.objectNode().put("name", secret));
                        }
                    }
                    // An Ingress certificate: a kubernetes.io/tls Secret.
                    case "tls" -> e.getValue().forEach(t -> {
                        if (t.has("secretName")) {
                            for (String key : List.of("tls.crt", "tls.key")) {
                                sink.accept("Secret", nodes.objectNode().put("name", t.path("secretName").asText()).put("key", key));
                            }
                        }
                    });
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
