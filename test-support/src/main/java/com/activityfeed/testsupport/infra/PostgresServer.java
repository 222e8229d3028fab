package com.activityfeed.testsupport.infra;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from Debian's server binaries, on a loopback port, data under
 * {@code dir}. Runs as the {@code postgres} user when this JVM is root (initdb refuses root).
 * Can be stopped and started again on the same port and data.
 */
public final class PostgresServer {
    private static final Logger LOG = Logger.getLogger(PostgresServer.class);
    public static final String USER = "postgres";

    private final Path dir;
    private final Path data;
    private final int port;
    private final Path bin;
    private final boolean root;
    private Supervised process;

    public PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("pgdata");
        this.port = port;
        this.bin = findBinaries();
        this.root = "root".equals(System.getProperty("user.name"));
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                initdb();
            }
            List<String> command = asPostgres(bin.resolve("postgres").toString(), "-D", data.toString(),
                    "-p", Integer.toString(port), "-k", dir.toString(),
                    "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=256MB");
            // -Dafp.postgres.settings="shared_preload_libraries=pg_stat_statements pg_stat_statements.track=all":
            // more server settings, e.g. to see what a benchmark's statements cost
            command = new ArrayList<>(command);
            for (String setting : System.getProperty("afp.postgres.settings", "").trim().split("\\s+")) {
                if (!setting.isEmpty()) {
                    command.addAll(List.of("-c", setting));
                }
            }
            // SIGINT is PostgreSQL's fast shutdown: rolls back open transactions, exits in well under a second.
            process = Supervised.start("postgres", command, Map.of(), dir, dir.resolve("postgres.log"), "INT",
                    Duration.ofSeconds(20));
            Waits.until("PostgreSQL on port " + port, Duration.ofSeconds(60), this::accepting);
            LOG.infof("PostgreSQL %s is up on port %d", bin.getParent().getFileName(), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    /** A crash: SIGKILL, no shutdown checkpoint. The next start recovers from the WAL. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    public void createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) {
                throw new IllegalStateException("cannot create database " + name, e);
            }
        }
    }

    private boolean accepting() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("PostgreSQL exited: " + Supervised.text(dir.resolve("postgres.log")));
        }
        try (Connection ignored = DriverManager.getConnection(jdbcUrl("postgres"), USER, "")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void initdb() throws IOException {
        Files.createDirectories(data);
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        run(asPostgres(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
                "--no-sync", "-E", "UTF8", "--locale=C"));
    }

    private List<String> asPostgres(String... command) {
        List<String> full = new ArrayList<>();
        if (root) {
            // setpriv execs in place (unlike runuser, which forks), so signals reach the server itself.
            full.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The newest {@code /usr/lib/postgresql/N/bin}, or {@code PG_BIN}. */
    static Path findBinaries() {
        String configured = System.getenv("PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.exists(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException(
                            "PostgreSQL server binaries not found under /usr/lib/postgresql: install Debian's postgresql package"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
