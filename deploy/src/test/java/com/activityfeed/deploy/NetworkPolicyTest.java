package com.activityfeed.deploy;

import com.activityfeed.deploy.Pods.Pod;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.activityfeed.deploy.Manifests.name;
import static com.activityfeed.deploy.Manifests.namespace;
import static com.activityfeed.deploy.Manifests.ofKind;
import static com.activityfeed.deploy.Manifests.selects;
import static com.activityfeed.deploy.Pods.BARMAN_PLUGIN;
import static com.activityfeed.deploy.Pods.CNPG_OPERATOR;
import static com.activityfeed.deploy.Pods.ELSEWHERE;
import static com.activityfeed.deploy.Pods.INGRESS_CONTROLLER;
import static com.activityfeed.deploy.Pods.PROMETHEUS;
import static com.activityfeed.deploy.Pods.STRANGER;
import static com.activityfeed.deploy.Pods.STRIMZI_OPERATOR;
import static com.activityfeed.deploy.Pods.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evaluates the rendered NetworkPolicies, plus the one Strimzi 0.51 generates for the brokers
 * (KafkaCluster.generateNetworkPolicy: control plane and replication ports for its own
 * components and the cluster operator, each listener for its networkPolicyPeers, metrics open),
 * for every pair of pods: the platform's, the operators' (strimzi, cnpg-system), the ingress
 * controller's (ingress-nginx), Prometheus (monitoring), and strangers inside and outside the
 * namespace.
 */
class NetworkPolicyTest {

    static final List<String> KUSTOMIZATIONS = Manifests.KUSTOMIZATIONS;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Rule(JsonNode appliesTo, String namespace, JsonNode ingress) {
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void onlyTheIntendedClientsReachEachTier(String kustomization) {
        List<ObjectNode> all = Manifests.render(kustomization);
        List<Pod> pods = Pods.of(all);
        Pod ingest = named(pods, "ingest-service");
        Pod feed = named(pods, "feed-service");
        Pod social = named(pods, "social-service");
        Pod broker = named(pods, "activity-feed-dual-role-0");
        Pod exporter = named(pods, "activity-feed-kafka-exporter");
        Pod entityOperator = named(pods, "activity-feed-entity-operator");
        Pod feedDb = named(pods, "feed-db-primary");
        Pod feedDbReplica = named(pods, "feed-db-replica");
        Pod socialDb = named(pods, "social-db-primary");

        List<Rule> rules = rules(all);
        List<String> wrong = new ArrayList<>();
        for (Pod service : List.of(ingest, feed, social)) {
            expect(wrong, rules, INGRESS_CONTROLLER, service, "http", true);
            expect(wrong, rules, PROMETHEUS, service, "http", true);
            for (Pod other : List.of(STRANGER, ELSEWHERE, STRIMZI_OPERATOR, CNPG_OPERATOR, broker)) {
                expect(wrong, rules, other, service, "http", false);
            }
            for (Pod other : List.of(ingest, feed, social)) {
                if (other != service) {
                    expect(wrong, rules, other, service, "http", false);
                }
            }
            // Clients use the TLS listener only; the brokers' own ports are Strimzi's.
            expect(wrong, rules, service, broker, "tls", true);
            expect(wrong, rules, service, broker, "tcp-replication", false);
            expect(wrong, rules, service, broker, "tcp-ctrlplane", false);
        }
        for (Pod outsider : List.of(INGRESS_CONTROLLER, STRANGER, ELSEWHERE, PROMETHEUS)) {
            expect(wrong, rules, outsider, broker, "tls", false);
            expect(wrong, rules, outsider, broker, "tcp-replication", false);
            expect(wrong, rules, outsider, feedDb, "postgresql", false);
            expect(wrong, rules, outsider, socialDb, "postgresql", false);
            expect(wrong, rules, outsider, feedDb, "status", false);
        }
        // Strimzi's operator and components on the brokers' internal ports.
        expect(wrong, rules, STRIMZI_OPERATOR, broker, "tcp-replication", true);
        expect(wrong, rules, STRIMZI_OPERATOR, broker, "tcp-ctrlplane", true);
        expect(wrong, rules, STRIMZI_OPERATOR, broker, "tcp-kafkaagent", true);
        expect(wrong, rules, entityOperator, broker, "tcp-replication", true);
        expect(wrong, rules, exporter, broker, "tcp-replication", true);
        expect(wrong, rules, broker, broker, "tcp-ctrlplane", true);
        // Prometheus scrapes brokers, the exporter and PostgreSQL; nobody else reaches the exporter.
        expect(wrong, rules, PROMETHEUS, broker, "tcp-prometheus", true);
        expect(wrong, rules, PROMETHEUS, exporter, "tcp-prometheus", true);
        expect(wrong, rules, STRANGER, exporter, "tcp-prometheus", false);
        expect(wrong, rules, PROMETHEUS, feedDb, "metrics", true);
        expect(wrong, rules, PROMETHEUS, socialDb, "metrics", true);
        // Each database: its own service, its own instances, the CloudNativePG operator.
        expect(wrong, rules, feed, feedDb, "postgresql", true);
        expect(wrong, rules, social, socialDb, "postgresql", true);
        expect(wrong, rules, feed, socialDb, "postgresql", false);
        expect(wrong, rules, social, feedDb, "postgresql", false);
        expect(wrong, rules, ingest, feedDb, "postgresql", false);
        expect(wrong, rules, ingest, socialDb, "postgresql", false);
        expect(wrong, rules, feedDbReplica, feedDb, "postgresql", true);
        expect(wrong, rules, socialDb, feedDb, "postgresql", false);
        expect(wrong, rules, CNPG_OPERATOR, feedDb, "status", true);
        expect(wrong, rules, CNPG_OPERATOR, socialDb, "status", true);
        expect(wrong, rules, BARMAN_PLUGIN, feedDb, "postgresql", false);
        assertThat(wrong).isEmpty();
    }

    @Test
    void aPolicyThatAdmitsEveryoneIsCaught() {
        List<ObjectNode> all = new ArrayList<>(Manifests.render("base"));
        ObjectNode open = JSON.createObjectNode();
        open.put("apiVersion", "networking.k8s.io/v1").put("kind", "NetworkPolicy");
        open.putObject("metadata").put("name", "open").put("namespace", Manifests.NAMESPACE);
        open.putObject("spec").putObject("podSelector");
        ((ObjectNode) open.path("spec")).putArray("ingress").addObject();
        all.add(open);
        List<Rule> rules = rules(all);
        Pod feedDb = named(Pods.of(all), "feed-db-primary");
        assertThat(allows(rules, STRANGER, feedDb, feedDb.port("postgresql"), "postgresql")).isTrue();
        assertThat(allows(rules(Manifests.render("base")), STRANGER, feedDb, feedDb.port("postgresql"), "postgresql")).isFalse();
    }

    private static void expect(List<String> wrong, List<Rule> rules, Pod from, Pod to, String port, boolean allowed) {
        int number = to.port(port);
        if (number < 0) {
            wrong.add(to.name() + " has no port " + port);
        } else if (allows(rules, from, to, number, port) != allowed) {
            wrong.add(from.namespace() + "/" + from.name() + " -> " + to.name() + ":" + port + (allowed ? " is blocked" : " is allowed"));
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
                boolean portOk = !in.has("ports") || in.path("ports").isEmpty() || in.path("ports").valueStream().anyMatch(p ->
                        p.path("port").asText().equals(String.valueOf(port)) || p.path("port").asText().equals(portName));
                boolean peerOk = !in.has("from") || in.path("from").isEmpty()
                        || in.path("from").valueStream().anyMatch(peer -> admits(peer, r.namespace(), from));
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

    static List<Rule> rules(List<ObjectNode> all) {
        List<Rule> rules = new ArrayList<>();
        ofKind(all, "NetworkPolicy").forEach(np -> {
            JsonNode spec = np.path("spec");
            if (spec.path("policyTypes").toString().contains("Ingress") || spec.has("ingress")) {
                rules.add(new Rule(spec.path("podSelector"), namespace(np),
                        spec.has("ingress") ? spec.path("ingress") : JSON.createArrayNode()));
            }
        });
        ofKind(all, "Kafka").forEach(k -> rules.add(strimziBrokerPolicy(k)));
        return rules;
    }

    /** What Strimzi 0.51 generates for the brokers of a Kafka (operator namespace without labels: any). */
    private static Rule strimziBrokerPolicy(ObjectNode kafka) {
        String cluster = name(kafka);
        ObjectNode brokers = JSON.createObjectNode().put("strimzi.io/cluster", cluster).put("strimzi.io/kind", "Kafka")
                .put("strimzi.io/name", cluster + "-kafka");
        ObjectNode operator = JSON.createObjectNode();
        operator.putObject("podSelector").putObject("matchLabels").put("strimzi.io/kind", "cluster-operator");
        operator.putObject("namespaceSelector");
        ObjectNode kafkaPeer = JSON.createObjectNode();
        kafkaPeer.putObject("podSelector").set("matchLabels", brokers.deepCopy());
        ArrayNode ingress = JSON.createArrayNode();
        ingress.add(rule(9090, List.of(kafkaPeer, operator)));
        List<JsonNode> replicationPeers = new ArrayList<>(List.of(operator, kafkaPeer));
        for (String component : List.of("-entity-operator", "-kafka-exporter", "-cruise-control")) {
            ObjectNode peer = JSON.createObjectNode();
            peer.putObject("podSelector").putObject("matchLabels").put("strimzi.io/name", cluster + component);
            replicationPeers.add(peer);
        }
        ingress.add(rule(9091, replicationPeers));
        ingress.add(rule(8443, List.of(operator)));
        kafka.at("/spec/kafka/listeners").forEach(l -> {
            List<JsonNode> peers = new ArrayList<>();
            l.path("networkPolicyPeers").forEach(peers::add);
            ingress.add(rule(l.path("port").asInt(), peers));
        });
        if (kafka.at("/spec/kafka").has("metricsConfig")) {
            ingress.add(rule(9404, List.of()));
        }
        return new Rule(JSON.createObjectNode().set("matchLabels", brokers), namespace(kafka), ingress);
    }

    private static ObjectNode rule(int port, List<JsonNode> peers) {
        ObjectNode rule = JSON.createObjectNode();
        rule.putArray("ports").addObject().put("port", port).put("protocol", "TCP");
        if (!peers.isEmpty()) {
            rule.putArray("from").addAll(peers);
        }
        return rule;
    }
}
