package com.activityfeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.activityfeed.deploy.Manifests.name;
import static com.activityfeed.deploy.Manifests.namespace;
import static com.activityfeed.deploy.Manifests.ofKind;

/**
 * The pods a cluster would run for the rendered objects, labelled as the operators label them
 * (CloudNativePG 1.30, Strimzi 0.51), and the pods of the namespaces around the platform as
 * docs/operations.md installs them: the ingress controller, Prometheus, the Strimzi and
 * CloudNativePG operators and the Barman Cloud plugin.
 */
final class Pods {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Pod(String name, String namespace, JsonNode labels, Map<String, Integer> ports) {
        int port(String nameOrNumber) {
            return ports.getOrDefault(nameOrNumber, nameOrNumber.matches("\\d+") ? Integer.parseInt(nameOrNumber) : -1);
        }
    }

    static final Pod INGRESS_CONTROLLER = pod("ingress-nginx-controller", "ingress-nginx",
            Map.of("app.kubernetes.io/name", "ingress-nginx", "app.kubernetes.io/component", "controller"), Map.of());
    static final Pod PROMETHEUS = pod("prometheus-prometheus-0", "monitoring",
            Map.of("app.kubernetes.io/name", "prometheus", "prometheus", "prometheus-kube-prometheus-prometheus"), Map.of());
    static final Pod STRIMZI_OPERATOR = pod("strimzi-cluster-operator", "strimzi",
            Map.of("name", "strimzi-cluster-operator", "strimzi.io/kind", "cluster-operator"), Map.of());
    static final Pod CNPG_OPERATOR = pod("cnpg-controller-manager", "cnpg-system",
            Map.of("app.kubernetes.io/name", "cloudnative-pg"), Map.of());
    static final Pod BARMAN_PLUGIN = pod("barman-cloud", "cnpg-system",
            Map.of("app", "barman-cloud"), Map.of());
    static final Pod STRANGER = pod("debug", Manifests.NAMESPACE, Map.of("app", "debug"), Map.of());
    static final Pod ELSEWHERE = pod("elsewhere", "default", Map.of(), Map.of());

    private Pods() {
    }

    /** Every pod the rendered objects make in their namespaces. */
    static List<Pod> of(List<ObjectNode> all) {
        List<Pod> pods = new ArrayList<>();
        ofKind(all, "Deployment").forEach(d -> {
            Map<String, Integer> ports = new HashMap<>();
            d.at("/spec/template/spec/containers").forEach(c -> c.path("ports").forEach(p ->
                    ports.put(p.path("name").asText(), p.path("containerPort").asInt())));
            pods.add(new Pod(name(d), namespace(d), Manifests.podLabels(d), ports));
        });
        ofKind(all, "Cluster").forEach(c -> {
            for (String role : List.of("primary", "replica")) {
                pods.add(pod(name(c) + "-" + role, namespace(c), Map.of("cnpg.io/cluster", name(c), "cnpg.io/podRole", "instance",
                                "cnpg.io/instanceRole", role, "role", role),
                        Map.of("postgresql", 5432, "metrics", 9187, "status", 8000)));
            }
        });
        ofKind(all, "Kafka").forEach(k -> {
            String cluster = name(k);
            ofKind(all, "KafkaNodePool").filter(p -> p.at("/metadata/labels/strimzi.io~1cluster").asText().equals(cluster))
                    .forEach(pool -> {
                        Map<String, Integer> ports = new HashMap<>(Map.of("tcp-ctrlplane", 9090, "tcp-replication", 9091,
                                "tcp-kafkaagent", 8443));
                        k.at("/spec/kafka/listeners").forEach(l -> ports.put(l.path("name").asText(), l.path("port").asInt()));
                        if (k.at("/spec/kafka").has("metricsConfig")) {
                            ports.put("tcp-prometheus", 9404);
                        }
                        pods.add(pod(cluster + "-" + name(pool) + "-0", namespace(k), Map.of("strimzi.io/cluster", cluster,
                                "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-kafka",
                                "strimzi.io/pool-name", name(pool), "strimzi.io/broker-role", "true"), ports));
                    });
            if (k.path("spec").has("kafkaExporter")) {
                pods.add(pod(cluster + "-kafka-exporter", namespace(k), Map.of("strimzi.io/cluster", cluster,
                        "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-kafka-exporter"), Map.of("tcp-prometheus", 9404)));
            }
            if (k.path("spec").has("entityOperator")) {
                pods.add(pod(cluster + "-entity-operator", namespace(k), Map.of("strimzi.io/cluster", cluster,
                        "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-entity-operator"), Map.of()));
            }
        });
        return pods;
    }

    static Pod named(List<Pod> pods, String name) {
        return pods.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no pod " + name + " among " + pods.stream().map(Pod::name).toList()));
    }

    static Pod pod(String name, String namespace, Map<String, String> labels, Map<String, Integer> ports) {
        return new Pod(name, namespace, JSON.valueToTree(labels), ports);
    }
}
