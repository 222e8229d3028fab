package com.activityfeed.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rendered object parses into its typed model (fabric8 for Kubernetes and Prometheus
 * operator kinds, Strimzi's API module for Kafka kinds) with no unknown field anywhere, and
 * serialises back to the same document, so no value was coerced or dropped on the way.
 * CloudNativePG has no Java model: {@link CloudNativePgRules} checks its objects.
 */
class TypedModelsTest {

    static final List<String> KUSTOMIZATIONS = Manifests.KUSTOMIZATIONS;

    static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("networking.k8s.io/v1/Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", io.strimzi.api.kafka.model.user.KafkaUser.class));

    static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyObjectIsAKnownKindWithNoUnknownField(String kustomization) throws Exception {
        List<String> faults = new ArrayList<>();
        for (ObjectNode o : Manifests.render(kustomization)) {
            String type = o.path("apiVersion").asText() + "/" + o.path("kind").asText();
            if (type.startsWith(CloudNativePgRules.API_VERSION + "/") || type.startsWith(CloudNativePgRules.PLUGIN_API_VERSION + "/")) {
                faults.addAll(CloudNativePgRules.check(o));
                continue;
            }
            Class<?> model = MODELS.get(type);
            if (model == null) {
                faults.add(Manifests.id(o) + ": no typed model for " + type);
                continue;
            }
            Object typed = STRICT.treeToValue(o, model);
            unknownFields(typed, Manifests.id(o), faults);
            JsonNode back = STRICT.valueToTree(typed);
            // Strimzi's classes write their own preferred apiVersion; servedVersion checks ours.
            List<String> changed = differences(o, back, "").stream().filter(d -> !d.startsWith("/apiVersion:")).toList();
            if (!changed.isEmpty()) {
                faults.add(Manifests.id(o) + ": does not round-trip through " + model.getSimpleName() + ": " + changed);
            }
            servedVersion(model, o.path("apiVersion").asText()).ifPresent(faults::add);
        }
        assertThat(faults).isEmpty();
    }

    @Test
    void anUnknownFieldIsFound() throws Exception {
        ObjectNode deployment = Manifests.find(Manifests.render("base"), "Deployment", "feed-service").orElseThrow().deepCopy();
        ((ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0))
                .putObject("livenessProbes").put("path", "/q/health/live");
        List<String> faults = new ArrayList<>();
        unknownFields(STRICT.treeToValue(deployment, io.fabric8.kubernetes.api.model.apps.Deployment.class), "d", faults);
        assertThat(faults).singleElement().asString().contains("livenessProbes");
    }

    /** JSON pointers where two documents differ, with both values. */
    static List<String> differences(JsonNode was, JsonNode now, String at) {
        List<String> out = new ArrayList<>();
        if (was.isObject() && now.isObject()) {
            java.util.Set<String> names = new java.util.TreeSet<>();
            was.fieldNames().forEachRemaining(names::add);
            now.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                out.addAll(differences(was.path(n), now.path(n), at + "/" + n));
            }
        } else if (was.isArray() && now.isArray() && was.size() == now.size()) {
            for (int i = 0; i < was.size(); i++) {
                out.addAll(differences(was.get(i), now.get(i), at + "/" + i));
            }
        } else if (was.isNumber() && now.isNumber()) {
            // An int read back as a long is the same value.
            if (was.decimalValue().compareTo(now.decimalValue()) != 0) {
                out.add(at + ": " + was + " -> " + now);
            }
        } else if (!was.equals(now)) {
            out.add(at + ": " + was + " -> " + now);
        }
        return out;
    }

    /** Strimzi's classes list the API versions they serve; a stale one would be refused by the operator. */
    private static java.util.Optional<String> servedVersion(Class<?> model, String apiVersion) throws IllegalAccessException {
        try {
            Object versions = model.getField("VERSIONS").get(null);
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            return ((Collection<?>) versions).contains(version)
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(model.getSimpleName() + " does not serve " + apiVersion + " (serves " + versions + ")");
        } catch (NoSuchFieldException e) {
            return java.util.Optional.empty();
        }
    }

    /** Walks the model's getters; fabric8 and Strimzi park unknown fields in additionalProperties. */
    static void unknownFields(Object value, String path, List<String> faults) throws IllegalAccessException {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || value.getClass().isPrimitive()) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), faults);
            }
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", faults);
            }
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
            return;
        }
        for (Method m : value.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                    || !(m.getName().startsWith("get") || m.getName().startsWith("is"))) {
                continue;
            }
            Object child;
            try {
                child = m.invoke(value);
            } catch (InvocationTargetException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    faults.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                String field = m.getName().startsWith("get") ? m.getName().substring(3) : m.getName().substring(2);
                unknownFields(child, path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), faults);
            }
        }
    }
}
