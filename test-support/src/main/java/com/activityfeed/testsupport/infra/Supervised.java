package com.activityfeed.testsupport.infra;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server process started through {@code afp-supervise.sh}, which stops it when this JVM closes
 * the supervisor's stdin: on {@link #stop()}, and also when the JVM dies without running any
 * shutdown hook. No test run can leave a server behind.
 */
public final class Supervised {
    private static final Logger LOG = Logger.getLogger(Supervised.class);
    private static volatile Path scripts;

    private final String name;
    private final Process process;
    private final Path pidFile;

    private Supervised(String name, Process process, Path pidFile) {
        this.name = name;
        this.process = process;
        this.pidFile = pidFile;
    }

    /**
     * Starts {@code command} with its output appended to {@code log}.
     *
     * @param stopSignal the signal for an orderly stop (TERM, INT…)
     */
    public static Supervised start(String name, List<String> command, Map<String, String> env, Path workDir,
                                   Path log, String stopSignal, Duration grace) {
        try {
            Path pidFile = Files.createTempFile("afp-" + name + "-", ".pid");
            List<String> full = new ArrayList<>();
            full.add("bash");
            full.add(script("afp-supervise.sh").toString());
            full.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(full)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            builder.environment().put("PID_FILE", pidFile.toString());
            builder.environment().put("STOP_SIGNAL", stopSignal);
            builder.environment().put("STOP_GRACE", Long.toString(grace.toSeconds()));
            return new Supervised(name, builder.start(), pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Starts a reaper that deletes {@code dir} once this JVM is gone; returns its stdin to close at the end. */
    static OutputStream reaper(Path dir) {
        try {
            Process p = new ProcessBuilder("bash", script("afp-reaper.sh").toString(), dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the reaper", e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The server's own pid (not the supervisor's), once it has started. */
    public long pid() {
        try {
            for (int i = 0; i < 100; i++) {
                String text = Files.exists(pidFile) ? Files.readString(pidFile).trim() : "";
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException(name + " has no pid");
    }

    /** Orderly stop: the supervisor sends the stop signal, then SIGKILL after the grace period. */
    public void stop() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                LOG.warnf("%s did not stop in time, killing it", name);
                kill();
            }
        } catch (IOException | InterruptedException e) {
            kill();
        } finally {
            deletePidFile();
        }
    }

    /** SIGKILL of the server itself, as a crash would: nothing of it gets to clean up. */
    public void kill() {
        ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
        try {
            process.getOutputStream().close();
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
        deletePidFile();
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a temp file; nothing depends on it
        }
    }

    private static synchronized Path script(String resource) throws IOException {
        if (scripts == null) {
            scripts = Files.createTempDirectory("afp-scripts-");
            scripts.toFile().deleteOnExit();
        }
        Path target = scripts.resolve(resource);
        if (!Files.exists(target)) {
            try (InputStream in = Supervised.class.getResourceAsStream("/" + resource)) {
                if (in == null) {
                    throw new IOException("missing resource " + resource);
                }
                Files.write(target, in.readAllBytes());
            }
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            target.toFile().deleteOnExit();
        }
        return target;
    }

    static String text(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
