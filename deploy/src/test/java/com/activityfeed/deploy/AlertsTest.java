package com.activityfeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every alert is well formed, scoped to the namespace, and explained in docs/operations.md. */
class AlertsTest {

    @Test
    void everyAlertIsWellFormedAndDocumented() throws IOException {
        String docs = Files.readString(Manifests.root().resolve("docs/operations.md"));
        List<String> faults = new ArrayList<>();
        List<JsonNode> rules = Manifests.ofKind(Manifests.render("overlays/prod"), "PrometheusRule")
                .flatMap(r -> r.path("spec").path("groups").valueStream())
                .flatMap(g -> g.path("rules").valueStream())
                .toList();
        assertThat(rules).isNotEmpty();
        for (JsonNode rule : rules) {
            String name = rule.path("alert").asText();
            String expr = rule.path("expr").asText();
            if (!name.matches("ActivityFeed[A-Z][A-Za-z0-9]+")) {
                faults.add("alert name " + name);
            }
            if (!balanced(expr)) {
                faults.add(name + ": unbalanced brackets or quotes in " + expr);
            }
            if (!expr.contains("namespace=\"activity-feed\"")) {
                faults.add(name + ": not scoped to the activity-feed namespace");
            }
            if (!Set.of("critical", "warning").contains(rule.path("labels").path("severity").asText())) {
                faults.add(name + ": severity must be critical or warning");
            }
            if (rule.path("annotations").path("summary").asText().isBlank()) {
                faults.add(name + ": no summary");
            }
            if (!docs.contains("`" + name + "`")) {
                faults.add(name + ": not explained in docs/operations.md");
            }
        }
        assertThat(faults).isEmpty();
    }

    @Test
    void bracketsAreCheckedForReal() {
        assertThat(balanced("sum(rate(x{a=\"b\"}[5m])) > 0")).isTrue();
        assertThat(balanced("sum(rate(x{a=\"b\"}[5m]) > 0")).isFalse();
        assertThat(balanced("x{a=\"b}")).isFalse();
    }

    static boolean balanced(String expr) {
        Map<Character, Character> pairs = Map.of(')', '(', ']', '[', '}', '{');
        Deque<Character> open = new ArrayDeque<>();
        boolean quoted = false;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(' || c == '[' || c == '{') {
                open.push(c);
            } else if (pairs.containsKey(c) && (open.isEmpty() || open.pop() != pairs.get(c))) {
                return false;
            }
        }
        return open.isEmpty() && !quoted;
    }
}
