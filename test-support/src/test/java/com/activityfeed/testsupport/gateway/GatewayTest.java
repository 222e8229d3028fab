package com.activityfeed.testsupport.gateway;

import com.activityfeed.testsupport.infra.Infra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class GatewayTest {
    private static final Map<String, Integer> PORTS = Map.of("ingest-service", 18081, "feed-service", 18082, "social-service", 18083);

    @Test
    void readsTheProjectRouteTable() {
        List<Gateway.Route> routes = Gateway.routes(Infra.root().resolve("deploy/routes.tsv"));
        assertThat(routes).contains(
                new Gateway.Route("/api/v1/events", "ingest-service", false),
                new Gateway.Route("/api/v1/feed", "feed-service", true),
                new Gateway.Route("/app", "feed-service", false),
                new Gateway.Route("/api/v1/chat", "social-service", false));
    }

    @Test
    void refusesAMalformedRouteLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("routes.tsv");
        Files.writeString(file, "/api/v1/feed feed-service yes\n");
        assertThatThrownBy(() -> Gateway.routes(file)).hasMessageContaining("bad route line");
    }

    @Test
    void streamRoutesAreUnbufferedWithALongReadTimeoutAndOthersAreNot(@TempDir Path dir) {
        String config = Gateway.config(List.of(
                new Gateway.Route("/api/v1/feed", "feed-service", true),
                new Gateway.Route("/api/v1/events", "ingest-service", false)), PORTS, "127.0.0.1", 18080, dir);
        String feed = block(config, "location ^~ /api/v1/feed/ {");
        assertThat(feed).contains("proxy_pass http://feed-service;", "proxy_buffering off;", "proxy_read_timeout 1h;", "proxy_cache off;");
        String events = block(config, "location ^~ /api/v1/events/ {");
        assertThat(events).contains("proxy_pass http://ingest-service;").doesNotContain("proxy_buffering off;");
        assertThat(config).contains("location = /api/v1/feed {", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";",
                "upstream feed-service { server 127.0.0.1:18082;", "listen 127.0.0.1:18080;", "daemon off;");
    }

    @Test
    void aServiceWithoutAPortIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> Gateway.config(List.of(new Gateway.Route("/x", "unknown-service", false)), PORTS, "127.0.0.1", 1, dir))
                .hasMessageContaining("unknown-service");
    }

    @Test
    void nginxAcceptsTheGeneratedConfiguration(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Gateway.NGINX), "nginx is not installed (system-tests/src/test/browser/setup.sh installs it)");
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, Gateway.config(Gateway.routes(Infra.root().resolve("deploy/routes.tsv")), PORTS, "127.0.0.1", 18080, dir));
        Process check = new ProcessBuilder(Gateway.NGINX.toString(), "-t", "-p", dir.toString(), "-c", conf.toString())
                .redirectErrorStream(true).start();
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("syntax is ok");
    }

    private static String block(String config, String start) {
        int from = config.indexOf(start);
        assertThat(from).as(start).isNotNegative();
        return config.substring(from, config.indexOf('}', from));
    }
}
