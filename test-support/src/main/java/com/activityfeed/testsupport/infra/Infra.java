package com.activityfeed.testsupport.infra;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real PostgreSQL and Kafka for tests and the local run. {@link #shared()} starts them once per
 * JVM (every test class of a module shares them) and stops and deletes them when the JVM exits;
 * if the JVM is killed, the supervisors and the reaper do it instead.
 */
public final class Infra implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Infra.class);
    /** One database per service that has one. */
    public static final List<String> DATABASES = List.of("feed", "social");

    private static Infra shared;

    private final Path dir;
    private final PostgresServer postgres;
    private final KafkaBroker kafka;
    private final OutputStream reaper;
    private final boolean deleteOnClose;
    private boolean closed;

    private Infra(Path dir, int pgPort, int kafkaPort, int controllerPort, boolean deleteOnClose) {
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        this.reaper = deleteOnClose ? Supervised.reaper(dir) : null;
        this.postgres = new PostgresServer(dir.resolve("postgres"), pgPort);
        this.kafka = new KafkaBroker(dir.resolve("kafka"), kafkaPort, controllerPort, brokerClasspath());
    }

    /** The JVM-wide infrastructure on free ports, started on first use. */
    public static synchronized Infra shared() {
        if (shared == null) {
            Infra infra = create(tempDir(), Ports.free(), Ports.free(), Ports.free(), true);
            Runtime.getRuntime().addShutdownHook(new Thread(infra::close, "afp-infra-shutdown"));
            shared = infra;
        }
        return shared;
    }

    /** Starts PostgreSQL (with the service databases) and Kafka (with every topic) on the given ports. */
    public static Infra create(Path dir, int pgPort, int kafkaPort, int controllerPort, boolean deleteOnClose) {
        long started = System.nanoTime();
        Infra infra = new Infra(dir, pgPort, kafkaPort, controllerPort, deleteOnClose);
        try {
            Thread pg = new Thread(() -> {
                infra.postgres.start();
                DATABASES.forEach(infra.postgres::createDatabase);
            }, "afp-postgres-start");
            RuntimeException[] failure = new RuntimeException[1];
            pg.setUncaughtExceptionHandler((t, e) -> failure[0] = e instanceof RuntimeException r ? r : new IllegalStateException(e));
            pg.start();
            infra.kafka.start();
            infra.kafka.createSystemTopics();
            pg.join();
            if (failure[0] != null) {
                throw failure[0];
            }
        } catch (RuntimeException | InterruptedException e) {
            infra.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        LOG.infof("infrastructure ready in %d ms (PostgreSQL :%d, Kafka %s, data in %s)",
                (System.nanoTime() - started) / 1_000_000, pgPort, infra.kafka.bootstrapServers(), dir);
        return infra;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    public Path dir() {
        return dir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            kafka.stop();
        } finally {
            postgres.stop();
            if (deleteOnClose) {
                deleteRecursively(dir);
                try {
                    reaper.close();
                } catch (IOException ignored) {
                    // the reaper finds nothing left to delete
                }
            }
        }
    }

    static Path brokerClasspath() {
        return root().resolve("kafka-broker/target/classpath.txt");
    }

    /** The checkout's root: {@code afp.root} when Maven sets it, else the nearest parent holding kafka-broker/. */
    public static Path root() {
        String configured = System.getProperty("afp.root", System.getenv("AFP_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("kafka-broker"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the project root from " + here + "; set -Dafp.root");
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "afp-infra-");
            // The postgres user must be able to reach its data directory below this one.
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", dir, e.getMessage());
        }
    }
}
