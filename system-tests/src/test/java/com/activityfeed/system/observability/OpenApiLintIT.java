package com.activityfeed.system.observability;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §7: each service's {@code /q/openapi}, fetched from the running service, is clean under a
 * standard linter ({@code @redocly/cli lint}, recommended rules, installed by
 * {@code src/test/browser/setup.sh}): 0 errors. Also checks what the linter cannot know: the
 * bearer scheme is defined, errors are problem+json, the stream is described, webhooks declare
 * their security.
 */
class OpenApiLintIT {
    private static final Path TOOLS = Infra.root().resolve("system-tests/src/test/browser");
    private static final Path REDOCLY = TOOLS.resolve("node_modules/@redocly/cli/bin/cli.js");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        assertThat(REDOCLY).as("@redocly/cli is installed: run setup.sh").exists();
        system = SystemUnderTest.get();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ingest", "feed", "social"})
    void theApiDescriptionHasNoLinterErrors(String service) throws Exception {
        ServiceProcess process = switch (service) {
            case "ingest" -> system.ingest;
            case "feed" -> system.feed;
            default -> system.social;
        };
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(process.url("/q/openapi?format=json")))
                .header("Accept", "application/json").timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Path spec = Infra.root().resolve("system-tests/target/openapi/" + service + ".json");
        Files.createDirectories(spec.getParent());
        Files.writeString(spec, response.body(), StandardCharsets.UTF_8);

        Process lint = new ProcessBuilder("node", REDOCLY.toString(), "lint", "--format=stylish", spec.toString())
                .directory(TOOLS.toFile()).redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(3, TimeUnit.MINUTES)).isTrue();
        System.out.println("---- redocly lint " + service + " ----\n" + output);
        assertThat(lint.exitValue()).as("redocly lint %s:%n%s", service, output).isZero();
        assertThat(output).doesNotContain(" error ");

        JsonNode doc = JSON.readTree(response.body());
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/components/schemas/Problem/properties/status").isMissingNode()).isFalse();
        doc.path("paths").forEach(item -> item.forEach(operation -> operation.path("responses").properties().forEach(r -> {
            if (r.getKey().equals("401") || r.getKey().equals("403")) {
                assertThat(r.getValue().at("/content/application~1problem+json/schema/$ref").asText())
                        .isEqualTo("#/components/schemas/Problem");
            }
        })));
        switch (service) {
            case "feed" -> {
                assertThat(doc.at("/paths/~1api~1v1~1feed~1stream/get/responses/200/content/text~1event-stream").isMissingNode()).isFalse();
                assertThat(doc.at("/components/securitySchemes/streamCookie/in").asText()).isEqualTo("cookie");
            }
            case "ingest" -> {
                assertThat(doc.at("/paths/~1api~1v1~1webhooks~1{source}~1{tenant}/post/security").size()).isGreaterThanOrEqualTo(4);
                assertThat(doc.at("/paths/~1api~1v1~1events/post/requestBody/content/application~1json/schema/oneOf").size()).isEqualTo(2);
            }
            default -> {
            }
        }
    }
}
