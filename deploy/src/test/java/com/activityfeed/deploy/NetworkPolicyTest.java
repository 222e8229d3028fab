package com.activityfeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.activityfeed.deploy.Manifests.find;
import static com.activityfeed.deploy.Manifests.ofKind;
import static com.activityfeed.deploy.Manifests.selects;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evaluates the rendered NetworkPolicies (and the one Strimzi derives from the Kafka listener's
 * networkPolicyPeers) for pods as the cluster would label them: only the ingress controller
 * (and Prometheus) reach the services, only the services reach Kafka, and each database only
 * its own service.
 */
class NetworkPolicyTest {

    static final List<String> KUSTOMIZATIONS = Manifests.KUSTOMIZATIONS;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Pod(String name, String namespace, JsonNode labels, Map<String, Integer> ports) {
    }

    record Rule(JsonNode appliesTo, String namespace, JsonNode ingress) {
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void onlyTheIntendedClientsReachEachTier(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        String ns = "activity-feed";
        Pod ingest = servicePod(all, "ingest-service");
        Pod feed = servicePod(all, "feed-service");
        Pod social = servicePod(all, "social-service");
        Pod controller = pod("ingress-controller", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"));
        Pod prometheus = pod("prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus"));
        Pod stranger = pod("stranger", ns, Map.of("app", "debug"));
        Pod elsewhere = pod("elsewhere", "default", Map.of());
        String kafkaName = Manifests.name(ofKind(all, "Kafka").findFirst().orElseThrow());
        Pod broker = pod("broker", ns, Map.of("strimzi.io/cluster", kafkaName, "strimzi.io/kind", "Kafka",
                "strimzi.io/name", kafkaName + "-kafka"), Map.of("plain", 9092));
        Pod exporter = pod("kafka-exporter", ns, Map.of("strimzi.io/cluster", kafkaName, "strimzi.io/kind", "Kafka",
                "strimzi.io/name", kafkaName + "-kafka-exporter"), Map.of("tcp-prometheus", 9404));
        Pod feedDb = pod("feed-db-1", ns, Map.of("cnpg.io/cluster", "feed-db"), Map.of("postgresql", 5432));
        Pod socialDb = pod("social-db-1", ns, Map.of("cnpg.io/cluster", "social-db"), Map.of("postgresql", 5432));

        List<Rule> rules = rules(all);
        List<String> wrong = new ArrayList<>();
        for (Pod service : List.of(ingest, feed, social)) {
            expect(wrong, rules, controller, service, "http", true);
            expect(wrong, rules, prometheus, service, "http", true);
            expect(wrong, rules, stranger, service, "http", false);
            expect(wrong, rules, elsewhere, service, "http", false);
            expect(wrong, rules, service, broker, "plain", true);
            for (Pod other : List.of(ingest, feed, social)) {
                if (other != service) {
                    expect(wrong, rules, other, service, "http", false);
                }
            }
        }
        for (Pod outsider : List.of(controller, stranger, elsewhere)) {
            expect(wrong, rules, outsider, broker, "plain", false);
            expect(wrong, rules, outsider, feedDb, "postgresql", false);
            expect(wrong, rules, outsider, socialDb, "postgresql", false);
        }
        expect(wrong, rules, feed, feedDb, "postgresql", true);
        expect(wrong, rules, social, socialDb, "postgresql", true);
        expect(wrong, rules, feed, socialDb, "postgresql", false);
        expect(wrong, rules, social, feedDb, "postgresql", false);
        expect(wrong, rules, ingest, feedDb, "postgresql", false);
        expect(wrong, rules, ingest, socialDb, "postgresql", false);
        expect(wrong, rules, prometheus, exporter, "tcp-prometheus", true);
        expect(wrong, rules, stranger, exporter, "tcp-prometheus", false);
        // Replication between a database's own instances.
        expect(wrong, rules, pod("feed-db-2", ns, Map.of("cnpg.io/cluster", "feed-db")), feedDb, "postgresql", true);
        assertThat(wrong).isEmpty();
    }

    private static void expect(List<String> wrong, List<Rule> rules, Pod from, Pod to, String port, boolean allowed) {
        if (allows(rules, from, to, to.ports().getOrDefault(port, -1), port) != allowed) {
            wrong.add(from.name() + " -> " + to.name() + ":" + port + (allowed ? " is blocked" : " is allowed"));
        }
    }

    /** Kubernetes semantics: a pod selected by no ingress policy accepts everything; else one rule must admit. */
    static boolean allows(List<Rule> rules, Pod from, Pod to, int port, String portName) {
        List<Rule> applying = rules.stream()
                .filter(r -> r.namespace().equals(to.namespace()) && selects(r.appliesTo(), to.labels())).toList();
        if (applying.isEmpty()) {
            return true;
        }
        for (Rule r : applying) {
            for (JsonNode in : r.ingress()) {
                boolean portOk = !in.has("ports") || in.path("ports").valueStream().anyMatch(p ->
                        p.path("port").asText().equals(String.valueOf(port)) || p.path("port").asText().equals(portName));
                boolean peerOk = !in.has("from") || in.path("from").valueStream().anyMatch(peer -> admits(peer, r.namespace(), from));
                if (portOk && peerOk) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean admits(JsonNode peer, String policyNamespace, Pod from) {
        boolean nsOk = peer.has("namespaceSelector")
                ? selects(peer.path("namespaceSelector"), JSON.valueToTree(Map.of("kubernetes.io/metadata.name", from.namespace())))
                : from.namespace().equals(policyNamespace);
        boolean podOk = !peer.has("podSelector") || selects(peer.path("podSelector"), from.labels());
        return nsOk && podOk;
    }

    private static List<Rule> rules(List<ObjectNode> all) {
        List<Rule> rules = new ArrayList<>();
        ofKind(all, "NetworkPolicy").forEach(np -> {
            JsonNode spec = np.path("spec");
            if (spec.path("policyTypes").toString().contains("Ingress") || spec.has("ingress")) {
                rules.add(new Rule(spec.path("podSelector"), np.path("metadata").path("namespace").asText(),
                        spec.has("ingress") ? spec.path("ingress") : JSON.createArrayNode()));
            }
        });
        // What Strimzi generates for each listener: its port, from the listed peers only.
        ofKind(all, "Kafka").forEach(k -> k.path("spec").path("kafka").path("listeners").forEach(l -> {
            ObjectNode rule = JSON.createObjectNode();
            rule.putArray("ports").addObject().put("port", l.path("port").asInt());
            if (l.has("networkPolicyPeers")) {
                rule.set("from", l.path("networkPolicyPeers"));
            }
            rules.add(new Rule(JSON.valueToTree(Map.of("matchLabels", Map.of("strimzi.io/cluster", Manifests.name(k), "strimzi.io/kind", "Kafka"))),
                    k.path("metadata").path("namespace").asText(), JSON.createArrayNode().add(rule)));
        }));
        return rules;
    }

    private static Pod servicePod(List<ObjectNode> all, String service) {
        JsonNode template = find(all, "Deployment", service).orElseThrow().path("spec").path("template");
        Map<String, Integer> ports = new java.util.HashMap<>();
        template.path("spec").path("containers").forEach(c -> c.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt())));
        return new Pod(service, "activity-feed", template.path("metadata").path("labels"), ports);
    }

    private static Pod pod(String name, String namespace, Map<String, String> labels) {
        return pod(name, namespace, labels, Map.of());
    }

    private static Pod pod(String name, String namespace, Map<String, String> labels, Map<String, Integer> ports) {
        return new Pod(name, namespace, JSON.valueToTree(labels), ports);
    }
}
