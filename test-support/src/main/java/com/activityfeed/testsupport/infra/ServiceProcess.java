package com.activityfeed.testsupport.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One packaged service ({@code <module>/target/quarkus-app/quarkus-run.jar}) running in its own
 * JVM on a free port against the given infrastructure, as in production. Used by the end-to-end
 * tests (which also kill -9 it on purpose) and by the local run.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private Supervised process;

    private ServiceProcess(String module, int port, Map<String, String> env, Path log) {
        this.module = module;
        this.port = port;
        this.env = env;
        this.log = log;
    }

    /** Environment for a service against {@code infra}: Kafka, its database (if any), the JWT secret. */
    public static Map<String, String> environment(Infra infra, String database, String jwtSecret) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        env.put("JWT_SECRET", jwtSecret);
        env.put("JWT_ISSUER", TestTokens.ISSUER);
        if (database != null) {
            env.put("DB_URL", infra.jdbcUrl(database));
            env.put("DB_USER", PostgresServer.USER);
            env.put("DB_PASSWORD", "");
        }
        return env;
    }

    /** Starts {@code module} on {@code port} and waits until {@code /q/health/ready} answers 200. */
    public static ServiceProcess start(String module, int port, Map<String, String> env, Path logDir) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServiceProcess service = new ServiceProcess(module, port, env,
                logDir.resolve(module + "-" + port + ".log"));
        service.launch();
        return service;
    }

    public void launch() {
        Path jar = Infra.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + jar + ": package the services first (./mvnw package -DskipTests)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + env.getOrDefault("AFP_HEAP", "512m"), "-XX:+UseParallelGC",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-jar", jar.toString()));
        Map<String, String> full = new HashMap<>(env);
        full.remove("AFP_HEAP");
        process = Supervised.start(module, command, full, jar.getParent(), log, "TERM", Duration.ofSeconds(20));
        Waits.until(module + " ready on port " + port, Duration.ofSeconds(90), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited during start-up:\n" + tail());
            }
            return ready();
        });
    }

    public boolean ready() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url("/q/health/ready")))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** SIGKILL: the service gets no chance to finish anything. */
    public void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    /** Orderly shutdown (SIGTERM). */
    @Override
    public void close() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    public String tail() {
        String text = Supervised.text(log);
        return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
    }
}
