package com.activityfeed.deploy;

import com.activityfeed.deploy.kustomize.Kustomize;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The Java renderer against hand-made kustomizations and, where kubectl exists, against kubectl. */
class KustomizeTest {

    static final List<String> KUSTOMIZATIONS = Manifests.KUSTOMIZATIONS;

    @TempDir
    Path dir;

    @Test
    void mergesContainersByNameReplacesOtherListsAndDeletesOnNull() throws IOException {
        write("base/kustomization.yaml", """
                resources: [app.yaml]
                namespace: ns
                images:
                  - name: repo/app
                    newName: registry.local/app
                    newTag: "2"
                """);
        write("base/app.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  replicas: 2
                  template:
                    spec:
                      containers:
                        - name: app
                          image: repo/app:1
                          args: [a, b]
                          env: [{name: A, value: "1"}, {name: B, value: "2"}]
                        - name: side
                          image: other/side:1
                """);
        write("dev/kustomization.yaml", """
                resources: [../base]
                patches:
                  - patch: |-
                      apiVersion: apps/v1
                      kind: Deployment
                      metadata: {name: app}
                      spec:
                        replicas: null
                        template:
                          spec:
                            containers:
                              - name: app
                                args: [c]
                                env: [{name: B, value: "3"}, {name: C, value: "4"}]
                """);

        JsonNode d = new Kustomize().render(dir.resolve("dev")).getFirst();

        assertThat(d.path("metadata").path("namespace").asText()).isEqualTo("ns");
        assertThat(d.path("spec").has("replicas")).isFalse();
        JsonNode containers = d.path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(2);
        assertThat(containers.get(0).path("image").asText()).isEqualTo("registry.local/app:2");
        assertThat(containers.get(1).path("image").asText()).isEqualTo("other/side:1");
        assertThat(containers.get(0).path("args").toString()).isEqualTo("[\"c\"]");
        assertThat(containers.get(0).path("env").toString())
                .isEqualTo("[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"3\"},{\"name\":\"C\",\"value\":\"4\"}]");
    }

    @Test
    void targetPatchesEveryMatchingObjectAndCustomResourceListsAreReplaced() throws IOException {
        write("k/kustomization.yaml", """
                resources: [topics.yaml]
                patches:
                  - target: {kind: KafkaTopic, name: "a|b"}
                    patch: |-
                      apiVersion: kafka.strimzi.io/v1
                      kind: KafkaTopic
                      metadata: {name: any}
                      spec: {partitions: 12, list: [{name: y}]}
                """);
        write("k/topics.yaml", """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: a}
                spec: {partitions: 4, list: [{name: x}]}
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: b}
                spec: {partitions: 4}
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: ab}
                spec: {partitions: 4}
                """);

        List<ObjectNode> out = new Kustomize().render(dir.resolve("k"));

        assertThat(out).extracting(o -> Manifests.name(o) + "=" + o.path("spec").path("partitions").asInt())
                .containsExactly("a=12", "b=12", "ab=4");
        assertThat(out.getFirst().path("spec").path("list").toString()).isEqualTo("[{\"name\":\"y\"}]");
    }

    @Test
    void refusesWhatItDoesNotRender() throws IOException {
        write("k/kustomization.yaml", """
                resources: []
                configMapGenerator: [{name: x, literals: [a=b]}]
                """);
        assertThatThrownBy(() -> new Kustomize().render(dir.resolve("k")))
                .hasMessageContaining("unsupported kustomization field configMapGenerator");

        write("p/kustomization.yaml", """
                resources: [cm.yaml]
                patches:
                  - patch: |-
                      apiVersion: v1
                      kind: ConfigMap
                      metadata: {name: missing}
                """);
        write("p/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: present}\n");
        assertThatThrownBy(() -> new Kustomize().render(dir.resolve("p")))
                .hasMessageContaining("patch matches no object");
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void rendersTheSameObjectsAsKubectl(String kustomization) throws Exception {
        Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(p -> Path.of(p, "kubectl")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeThat(kubectl).as("kubectl on PATH (the Java renderer is checked on its own elsewhere)").isNotNull();

        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", Manifests.k8s().resolve(kustomization).toString())
                .redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        assertThat(byId(Manifests.render(kustomization))).isEqualTo(byId(new Kustomize().readAll(out)));
    }

    private static Map<String, JsonNode> byId(List<? extends JsonNode> objects) {
        Map<String, JsonNode> map = new TreeMap<>();
        objects.forEach(o -> assertThat(map.put(Manifests.id(o), o)).as("duplicate " + Manifests.id(o)).isNull());
        return map;
    }

    private void write(String path, String text) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
