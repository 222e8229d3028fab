package com.activityfeed.testsupport.gateway;

import com.activityfeed.testsupport.infra.Supervised;
import com.activityfeed.testsupport.infra.Waits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local gateway: nginx in front of the three services on one port, its configuration generated
 * from {@code deploy/routes.tsv}, the route table the Kubernetes Ingress is generated from too.
 * Runs as a supervised process (it dies with the JVM that started it), with its prefix, logs and
 * temp files in a directory of its own.
 */
public final class Gateway implements AutoCloseable {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");

    /** One line of the route table: a path prefix, the service behind it, and whether it carries SSE. */
    public record Route(String prefix, String service, boolean stream) {
    }

    private final int port;
    private final Path prefix;
    private Supervised process;

    private Gateway(int port, Path prefix) {
        this.port = port;
        this.prefix = prefix;
    }

    /**
     * Starts nginx on {@code bindHost:port}, routing by {@code routesFile} to the services on
     * 127.0.0.1 at the ports in {@code servicePorts} (service name, as in the table, to port).
     */
    public static Gateway start(String bindHost, int port, Path routesFile, Map<String, Integer> servicePorts, Path dir) {
        if (!Files.isExecutable(NGINX)) {
            throw new IllegalStateException("no " + NGINX + ": run system-tests/src/test/browser/setup.sh (apt-get install nginx)");
        }
        try {
            Files.createDirectories(dir.resolve("logs"));
            Files.createDirectories(dir.resolve("tmp"));
            Path conf = dir.resolve("nginx.conf");
            Files.writeString(conf, config(routes(routesFile), servicePorts, bindHost, port, dir), StandardCharsets.UTF_8);
            Gateway gateway = new Gateway(port, dir);
            // TERM is nginx's fast shutdown: open streams are cut at once rather than waited for.
            gateway.process = Supervised.start("nginx", List.of(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString()),
                    Map.of(), dir, dir.resolve("logs/nginx.out"), "TERM", Duration.ofSeconds(5));
            Waits.until("gateway on port " + port, Duration.ofSeconds(20), () -> {
                if (!gateway.process.isAlive()) {
                    throw new IllegalStateException("nginx exited:\n" + gateway.errorLog());
                }
                return accepts(port);
            });
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the gateway in " + dir, e);
        }
    }

    /** Reads the route table: tab-separated prefix, service, stream (yes/no); '#' starts a comment. */
    public static List<Route> routes(Path file) {
        try {
            List<Route> routes = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] cells = trimmed.split("\t");
                if (cells.length != 3 || !cells[0].startsWith("/") || cells[0].endsWith("/")
                        || !(cells[2].equals("yes") || cells[2].equals("no"))) {
                    throw new IllegalArgumentException("bad route line in " + file + ": " + line);
                }
                routes.add(new Route(cells[0], cells[1], cells[2].equals("yes")));
            }
            return routes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nginx configuration for {@code routes}; pure, so that it can be checked without nginx. */
    public static String config(List<Route> routes, Map<String, Integer> servicePorts, String bindHost, int port, Path dir) {
        StringBuilder out = new StringBuilder();
        out.append("# Generated from deploy/routes.tsv by Gateway.java; do not edit.\n");
        if ("root".equals(System.getProperty("user.name"))) {
            // Workers must be able to write the temp dirs this JVM created.
            out.append("user root;\n");
        }
        out.append("""
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log notice;
                events { worker_connections 4096; }
                http {
                    access_log %1$s/logs/access.log;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    # The services enforce their own body limits (ingest: 1 MiB, as problem+json 413).
                    client_max_body_size 8m;
                    server_tokens off;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Forwarded-Host $http_host;
                    proxy_intercept_errors off;
                """.formatted(dir));
        Set<String> services = new LinkedHashSet<>();
        routes.forEach(r -> services.add(r.service()));
        for (String service : services) {
            Integer target = servicePorts.get(service);
            if (target == null) {
                throw new IllegalArgumentException("no port for " + service + " (route table names it)");
            }
            out.append("    upstream ").append(service).append(" { server 127.0.0.1:").append(target)
                    .append("; keepalive 32; }\n");
        }
        out.append("    server {\n");
        out.append("        listen ").append(bindHost).append(':').append(port).append(";\n");
        for (Route route : routes) {
            // Exact match plus the prefix with its slash: /app matches /app and /app/..., not /apple.
            out.append("        location = ").append(route.prefix()).append(" {").append(proxy(route)).append("}\n");
            out.append("        location ^~ ").append(route.prefix()).append("/ {").append(proxy(route)).append("}\n");
        }
        out.append("""
                        location / { return 404; }
                        # Errors nginx itself answers are problem+json too (SPEC §7); the services' own pass through.
                        error_page 404 = @not_found;
                        error_page 413 = @too_large;
                        error_page 502 503 504 = @unavailable;
                        location @not_found {
                            default_type application/problem+json;
                            return 404 '{"type":"about:blank","title":"Not Found","status":404,"detail":"No route for this path"}';
                        }
                        location @too_large {
                            default_type application/problem+json;
                            return 413 '{"type":"about:blank","title":"Content Too Large","status":413,"detail":"The request body is too large"}';
                        }
                        location @unavailable {
                            default_type application/problem+json;
                            add_header Retry-After 5 always;
                            return 503 '{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"The service behind this route is not reachable"}';
                        }
                    }
                }
                """);
        return out.toString();
    }

    private static String proxy(Route route) {
        StringBuilder block = new StringBuilder("\n            proxy_pass http://").append(route.service()).append(";\n");
        if (route.stream()) {
            // SSE: every event reaches the browser at once, an idle stream lives through keepalives,
            // and nothing of it is ever cached.
            block.append("""
                                proxy_buffering off;
                                proxy_cache off;
                                proxy_read_timeout 1h;
                                proxy_send_timeout 1h;
                    """);
        }
        return block.append("        ").toString();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return prefix;
    }

    public String errorLog() {
        try {
            Path log = prefix.resolve("logs/error.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }
}
