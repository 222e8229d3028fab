package com.activityfeed.system.observability;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §7: {@code /q/metrics} of every service parses with Prometheus' own parser (the Python
 * client Debian packages, installed by {@code src/test/browser/setup.sh}), as Prometheus text and
 * as OpenMetrics; a plain {@code Accept: application/openmetrics-text} is answered, not 406; no
 * histogram carries client-side quantiles; the feed has its throughput and DLQ counters.
 */
class MetricsFormatIT {
    private static final Path PARSER = Infra.root().resolve("system-tests/src/test/metrics/parse_metrics.py");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SystemUnderTest system;

    @BeforeAll
    static void start() {
        system = SystemUnderTest.get();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ingest", "feed", "social"})
    void metricsParseAsPrometheusTextAndAsOpenMetrics(String service) throws Exception {
        ServiceProcess process = switch (service) {
            case "ingest" -> system.ingest;
            case "feed" -> system.feed;
            default -> system.social;
        };
        traced(service, process);
        HttpResponse<String> text = scrape(process, "text/plain");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        Map<String, JsonNode> textFamilies = parse("text", text.body());

        for (String accept : List.of("application/openmetrics-text", "application/openmetrics-text; version=1.0.0",
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")) {
            HttpResponse<String> open = scrape(process, accept);
            assertThat(open.statusCode()).as("Accept: %s", accept).isEqualTo(200);
            assertThat(open.headers().firstValue("Content-Type")).as("Accept: %s", accept)
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
            Map<String, JsonNode> families = parse("openmetrics", open.body());
            assertThat(families).isNotEmpty();
            for (JsonNode family : families.values()) {
                if (family.path("type").asText().equals("histogram")) {
                    family.path("samples").forEach(s -> assertThat(s.get(1).has("quantile"))
                            .as("%s carries a quantile sample", family.path("name").asText()).isFalse());
                }
            }
        }
        if (service.equals("feed")) {
            assertThat(textFamilies).containsKeys("feed_consumer_events_stored", "feed_dlq_messages");
            assertThat(textFamilies.get("feed_consumer_events_stored").path("type").asText()).isEqualTo("counter");
            assertThat(textFamilies.get("feed_dlq_messages").path("samples").get(0).get(1).path("topic").asText())
                    .isEqualTo("activity.raw.dlq");
            // registered with the stream hub, i.e. once a stream was opened on this replica
            JsonNode latency = textFamilies.get("feed_stream_delivery_latency_seconds");
            if (latency != null) {
                assertThat(latency.path("type").asText()).isEqualTo("histogram");
            }
        }
    }

    /**
     * A few API requests inside a caller's trace first, so the registry holds timers recorded
     * inside spans: with trace exemplars on, Micrometer wrote them on summary {@code _count} lines,
     * which Prometheus' OpenMetrics parser refuses.
     */
    private static void traced(String service, ServiceProcess process) throws Exception {
        String tenant = "metrics-" + service;
        for (int i = 0; i < 3; i++) {
            HttpRequest.Builder request = switch (service) {
                case "ingest" -> HttpRequest.newBuilder(URI.create(process.url("/api/v1/events")))
                        .header("Authorization", "Bearer " + TestTokens.ingest(tenant))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
                case "feed" -> HttpRequest.newBuilder(URI.create(process.url("/api/v1/feed")))
                        .header("Authorization", "Bearer " + TestTokens.reader(tenant, "ann"));
                default -> HttpRequest.newBuilder(URI.create(process.url("/api/v1/chat/threads")))
                        .header("Authorization", "Bearer " + TestTokens.reader(tenant, "ann"));
            };
            HttpResponse<String> answer = HTTP.send(request
                    .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e47" + i + "6-00f067aa0ba902b7-01")
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("%s answered", service).isLessThan(500);
        }
    }

    private static HttpResponse<String> scrape(ServiceProcess process, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(process.url("/q/metrics"))).header("Accept", accept)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The metric families Prometheus' parser reads from {@code body}, by name; fails with its message. */
    private static Map<String, JsonNode> parse(String format, String body) throws IOException, InterruptedException {
        Path file = Files.createTempFile("metrics-", "." + format);
        try {
            Files.writeString(file, body, StandardCharsets.UTF_8);
            Process parser = new ProcessBuilder(PYTHON.toString(), PARSER.toString(), format, file.toString())
                    .redirectErrorStream(true).start();
            String output = new String(parser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(parser.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(parser.exitValue()).as("Prometheus' %s parser: %s", format, output).isZero();
            Map<String, JsonNode> families = new LinkedHashMap<>();
            List<String> lines = new ArrayList<>(output.lines().toList());
            for (String line : lines) {
                JsonNode family = JSON.readTree(line);
                families.put(family.path("name").asText(), family);
            }
            return families;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
