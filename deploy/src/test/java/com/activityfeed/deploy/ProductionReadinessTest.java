package com.activityfeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static com.activityfeed.deploy.Manifests.find;
import static com.activityfeed.deploy.Manifests.name;
import static com.activityfeed.deploy.Manifests.ofKind;
import static com.activityfeed.deploy.Manifests.selects;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator of Strimzi and CloudNativePG in production checks before applying: pullable
 * pinned images, TLS in front, Kafka logins per service with exact ACLs, placement over zones,
 * monitoring that Prometheus actually selects, and backups that run and alert.
 */
class ProductionReadinessTest {

    static final List<String> KUSTOMIZATIONS = Manifests.KUSTOMIZATIONS;
    static final List<String> OVERLAYS = Manifests.OVERLAYS;
    /** A registry host (a dot or a port), a path, and a digest: nothing resolves to a public hub or a moving tag. */
    static final Pattern PINNED = Pattern.compile("^[a-z0-9.-]+(\\.[a-z0-9-]+|:[0-9]+)(:[0-9]+)?(/[a-z0-9._-]+)+@sha256:[0-9a-f]{64}$");
    /** The label kube-prometheus-stack's Prometheus selects monitors and rules by (release name prometheus). */
    static final Map<String, String> PROMETHEUS_SELECTOR = Map.of("release", "prometheus");

    @Test
    void prodImagesCarryARegistryAndTheDigestTheBuildPushed() {
        List<ObjectNode> prod = Manifests.render("overlays/prod");
        Map<String, String> digests = Manifests.testDigests();
        List<String> faults = new ArrayList<>();
        ofKind(prod, "Deployment").forEach(d -> d.at("/spec/template/spec/containers").forEach(c -> {
            String image = c.path("image").asText();
            if (!PINNED.matcher(image).matches()) {
                faults.add(name(d) + ": image " + image + " has no registry and digest");
            } else if (!image.equals(Manifests.TEST_REGISTRY + "/activity-feed/" + name(d) + "@" + digests.get(name(d)))) {
                faults.add(name(d) + ": image " + image + " is not the one the build pushed");
            }
        }));
        assertThat(faults).isEmpty();
        assertThat(PINNED.matcher("activity-feed/feed-service:1.0.0-SNAPSHOT").matches()).isFalse();
    }

    @Test
    void prodServesEveryIngressOverTlsForItsHost() {
        List<ObjectNode> prod = Manifests.render("overlays/prod");
        List<ObjectNode> ingresses = ofKind(prod, "Ingress").toList();
        assertThat(ingresses).isNotEmpty();
        for (ObjectNode ing : ingresses) {
            JsonNode spec = ing.path("spec");
            assertThat(spec.path("rules").valueStream().map(r -> r.path("host").asText()).toList()).as(name(ing) + " hosts")
                    .containsOnly(Manifests.TEST_HOST);
            assertThat(spec.path("tls").valueStream().flatMap(t -> t.path("hosts").valueStream()).map(JsonNode::asText).toList())
                    .as(name(ing) + " TLS hosts").containsExactly(Manifests.TEST_HOST);
            assertThat(ing.at("/metadata/annotations/nginx.ingress.kubernetes.io~1force-ssl-redirect").asText()).isEqualTo("true");
        }
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void adminRoutesAreDeniedOnThePublicIngress(String kustomization) throws IOException {
        List<ObjectNode> all = Manifests.render(kustomization);
        Set<String> adminPaths = adminPaths();
        assertThat(adminPaths).isNotEmpty();
        for (String admin : adminPaths) {
            // nginx picks the longest matching prefix; that path's Ingress must deny everyone.
            ObjectNode owner = null;
            String longest = "";
            for (ObjectNode ing : ofKind(all, "Ingress").toList()) {
                for (JsonNode rule : ing.at("/spec/rules")) {
                    for (JsonNode p : rule.at("/http/paths")) {
                        String prefix = p.path("path").asText();
                        if ((admin + "/").startsWith(prefix.endsWith("/") ? prefix : prefix + "/") && prefix.length() > longest.length()) {
                            longest = prefix;
                            owner = ing;
                        }
                    }
                }
            }
            assertThat(owner).as(admin + " has no Ingress path at all").isNotNull();
            assertThat(owner.at("/metadata/annotations/nginx.ingress.kubernetes.io~1denylist-source-range").asText())
                    .as(admin + " is served publicly by Ingress " + name(owner)).isEqualTo("0.0.0.0/0,::/0");
        }
    }

    /** Class-level @Path values of the services' admin resources. */
    private static Set<String> adminPaths() throws IOException {
        Set<String> out = new TreeSet<>();
        Pattern path = Pattern.compile("@Path\\(\\s*\"(/[^\"]*/admin)\"\\s*\\)");
        for (String service : Manifests.SERVICES) {
            Path src = Manifests.root().resolve(service).resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (var files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    var m = path.matcher(Files.readString(f));
                    while (m.find()) {
                        out.add(m.group(1));
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void theNamespaceEnforcesTheRestrictedPodSecurityStandard(String kustomization) {
        JsonNode labels = find(Manifests.render(kustomization), "Namespace", "", Manifests.NAMESPACE).orElseThrow()
                .at("/metadata/labels");
        assertThat(labels.path("pod-security.kubernetes.io/enforce").asText()).isEqualTo("restricted");
        assertThat(labels.path("pod-security.kubernetes.io/warn").asText()).isEqualTo("restricted");
        assertThat(labels.path("pod-security.kubernetes.io/audit").asText()).isEqualTo("restricted");
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void eachServiceHasAKafkaUserAllowedExactlyItsTopicsAndGroups(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        for (String service : Manifests.SERVICES) {
            ObjectNode user = find(all, "KafkaUser", service).orElseThrow(() -> new AssertionError("no KafkaUser " + service));
            assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
            assertThat(user.at("/spec/authorization/type").asText()).isEqualTo("simple");
            Map<String, Set<String>> granted = new TreeMap<>();
            user.at("/spec/authorization/acls").forEach(acl -> {
                JsonNode r = acl.path("resource");
                assertThat(r.path("type").asText()).as(service + " ACL resource type").isIn("topic", "group", "transactionalId");
                assertThat(acl.path("operations").valueStream().map(JsonNode::asText).toList()).as(service + " operations on " + r)
                        .isSubsetOf("Describe", "Read", "Write").doesNotContain("All");
                String key = r.path("type").asText() + ":" + r.path("name").asText() + ":" + r.path("patternType").asText("literal");
                acl.path("operations").forEach(op -> granted.computeIfAbsent(key, k -> new TreeSet<>()).add(op.asText()));
            });
            assertThat(granted).as(service + " ACLs").isEqualTo(KafkaAccess.of(service));
        }
        assertThat(ofKind(all, "KafkaUser").map(Manifests::name)).containsExactlyInAnyOrderElementsOf(Manifests.SERVICES);
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void kafkaIsPinnedSpreadOverZonesAndScraped(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        ObjectNode kafka = ofKind(all, "Kafka").findFirst().orElseThrow();
        JsonNode k = kafka.at("/spec/kafka");
        assertThat(k.path("version").asText()).as("Kafka version pinned").matches("\\d+\\.\\d+\\.\\d+");
        assertThat(k.path("metadataVersion").asText()).as("metadataVersion pinned")
                .startsWith(k.path("version").asText().replaceFirst("\\.\\d+$", "") + "-IV");
        // Strimzi 0.48 and later ignore these: KRaft and node pools are the only mode.
        assertThat(kafka.at("/metadata/annotations").has("strimzi.io/node-pools")).isFalse();
        assertThat(kafka.at("/metadata/annotations").has("strimzi.io/kraft")).isFalse();
        assertThat(k.at("/metricsConfig/type").asText()).isEqualTo("jmxPrometheusExporter");
        String metricsMap = k.at("/metricsConfig/valueFrom/configMapKeyRef/name").asText();
        assertThat(find(all, "ConfigMap", metricsMap).orElseThrow().path("data")
                .has(k.at("/metricsConfig/valueFrom/configMapKeyRef/key").asText())).isTrue();
        List<Pods.Pod> brokers = Pods.of(all).stream().filter(p -> p.labels().path("strimzi.io/broker-role").asText().equals("true")).toList();
        assertThat(ofKind(all, "PodMonitor").filter(pm -> labelled(pm, PROMETHEUS_SELECTOR)
                && brokers.stream().allMatch(b -> selects(pm.at("/spec/selector"), b.labels()))
                && pm.at("/spec/podMetricsEndpoints").valueStream().anyMatch(e -> e.path("port").asText().equals("tcp-prometheus"))))
                .as("a PodMonitor Prometheus selects scrapes the brokers").isNotEmpty();
        if (!kustomization.equals("overlays/dev")) {
            assertThat(k.at("/rack/topologyKey").asText()).isEqualTo("topology.kubernetes.io/zone");
            ofKind(all, "KafkaNodePool").forEach(pool -> {
                JsonNode pod = pool.at("/spec/template/pod");
                assertThat(zoneSpread(pod.path("topologySpreadConstraints"), Map.of("strimzi.io/pool-name", name(pool))))
                        .as(name(pool) + " spread over zones").isTrue();
                assertThat(requiredPerHost(pod.at("/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution"),
                        Map.of("strimzi.io/pool-name", name(pool)))).as(name(pool) + " one broker per node").isTrue();
            });
        }
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void postgresIsSpreadOverZonesHasItsOwnWalVolumeAndIsScraped(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        List<Pods.Pod> pods = Pods.of(all);
        ofKind(all, "Cluster").forEach(c -> {
            JsonNode spec = c.path("spec");
            assertThat(spec.at("/monitoring/enablePodMonitor").asBoolean(false)).as(name(c) + ": deprecated enablePodMonitor").isFalse();
            assertThat(spec.at("/walStorage/size").asText()).as(name(c) + " WAL volume").isNotEmpty();
            assertThat(spec.at("/affinity/podAntiAffinityType").asText()).as(name(c) + " anti-affinity").isEqualTo("required");
            assertThat(spec.at("/affinity/topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
            if (!kustomization.equals("overlays/dev")) {
                assertThat(zoneSpread(spec.path("topologySpreadConstraints"), Map.of("cnpg.io/cluster", name(c))))
                        .as(name(c) + " spread over zones").isTrue();
            }
            List<Pods.Pod> instances = pods.stream().filter(p -> p.labels().path("cnpg.io/cluster").asText().equals(name(c))).toList();
            assertThat(ofKind(all, "PodMonitor").filter(pm -> labelled(pm, PROMETHEUS_SELECTOR)
                    && instances.stream().allMatch(p -> selects(pm.at("/spec/selector"), p.labels()))
                    && pm.at("/spec/podMetricsEndpoints").valueStream().anyMatch(e -> e.path("port").asText().equals("metrics"))))
                    .as("a PodMonitor Prometheus selects scrapes " + name(c)).hasSize(1);
        });
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyMonitorAndRuleCarriesThePrometheusSelectorAndVolumesAreWatched(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        for (String kind : List.of("ServiceMonitor", "PodMonitor", "PrometheusRule")) {
            ofKind(all, kind).forEach(o -> assertThat(labelled(o, PROMETHEUS_SELECTOR)).as(Manifests.id(o)).isTrue());
        }
        Set<String> exprs = alertExpressions(all).keySet();
        assertThat(alertExpressions(all).values()).anyMatch(e -> e.contains("kubelet_volume_stats_used_bytes")
                && e.contains("kubelet_volume_stats_capacity_bytes"));
        assertThat(exprs).contains("ActivityFeedVolumeFillingUp", "ActivityFeedKafkaUnderMinIsr");
    }

    @Test
    void prodBacksUpThroughTheBarmanCloudPluginAndAlertsOnArchiveAndBackupAge() {
        List<ObjectNode> prod = Manifests.render("overlays/prod");
        ofKind(prod, "Cluster").forEach(c -> {
            JsonNode spec = c.path("spec");
            assertThat(spec.at("/backup/barmanObjectStore").isMissingNode()).as(name(c) + ": deprecated in-tree barmanObjectStore").isTrue();
            JsonNode plugin = spec.path("plugins").valueStream()
                    .filter(p -> p.path("name").asText().equals("barman-cloud.cloudnative-pg.io")).findFirst()
                    .orElseThrow(() -> new AssertionError(name(c) + " has no Barman Cloud plugin"));
            assertThat(plugin.path("isWALArchiver").asBoolean()).as(name(c) + " archives WAL").isTrue();
            ObjectNode store = find(prod, "ObjectStore", plugin.at("/parameters/barmanObjectName").asText()).orElseThrow();
            assertThat(store.at("/spec/configuration/destinationPath").asText()).isEqualTo(Manifests.TEST_BACKUPS + "/" + name(c));
            assertThat(store.at("/spec/retentionPolicy").asText()).matches("[1-9][0-9]*[dwm]");
            List<ObjectNode> schedules = ofKind(prod, "ScheduledBackup").filter(b -> b.at("/spec/cluster/name").asText().equals(name(c))).toList();
            assertThat(schedules).as("ScheduledBackup of " + name(c)).hasSize(1);
            JsonNode b = schedules.getFirst().path("spec");
            assertThat(b.path("method").asText()).isEqualTo("plugin");
            assertThat(b.at("/pluginConfiguration/name").asText()).isEqualTo("barman-cloud.cloudnative-pg.io");
            assertThat(b.path("immediate").asBoolean()).as(name(c) + ": first backup at once").isTrue();
        });
        Map<String, String> alerts = alertExpressions(prod);
        assertThat(alerts.values()).anyMatch(e -> e.contains("cnpg_pg_stat_archiver_failed_count"));
        assertThat(alerts.values()).anyMatch(e -> e.contains("cnpg_pg_stat_archiver_seconds_since_last_archival"));
        assertThat(alerts.values()).anyMatch(e -> e.contains("barman_cloud_cloudnative_pg_io_last_available_backup_timestamp")
                && e.contains("time()"));
    }

    private static Map<String, String> alertExpressions(List<ObjectNode> all) {
        Map<String, String> out = new TreeMap<>();
        ofKind(all, "PrometheusRule").forEach(r -> r.at("/spec/groups").forEach(g -> g.path("rules").forEach(rule ->
                out.put(rule.path("alert").asText(), rule.path("expr").asText()))));
        return out;
    }

    private static boolean labelled(JsonNode o, Map<String, String> labels) {
        return labels.entrySet().stream().allMatch(e -> o.at("/metadata/labels").path(e.getKey()).asText().equals(e.getValue()));
    }

    private static boolean zoneSpread(JsonNode constraints, Map<String, String> podLabels) {
        return constraints.valueStream().anyMatch(t -> t.path("topologyKey").asText().equals("topology.kubernetes.io/zone")
                && t.path("whenUnsatisfiable").asText().equals("DoNotSchedule") && t.path("maxSkew").asInt() == 1
                && podLabels.entrySet().stream().allMatch(e -> t.at("/labelSelector/matchLabels").path(e.getKey()).asText().equals(e.getValue())));
    }

    private static boolean requiredPerHost(JsonNode terms, Map<String, String> podLabels) {
        return terms.valueStream().anyMatch(t -> t.path("topologyKey").asText().equals("kubernetes.io/hostname")
                && podLabels.entrySet().stream().allMatch(e -> t.at("/labelSelector/matchLabels").path(e.getKey()).asText().equals(e.getValue())));
    }
}
