package com.activityfeed.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of the processes on this machine, grouped by what they are (ingest, feed, the broker,
 * PostgreSQL, this benchmark, everything else), from {@code /proc/<pid>/stat}: take one
 * {@link #snapshot} before a measured period and one after, and {@link #table} prints each group's
 * CPU seconds, its share of the machine's cores and its CPU per event. This says where an event's
 * cost goes process by process, and whether the machine simply ran out of CPU (the shares add up
 * to the core count) rather than a hop waiting on something.
 */
public final class CpuShares {
    /** Clock ticks per second of {@code utime}/{@code stime} (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;
    private static final long SELF = ProcessHandle.current().pid();

    private final Map<String, Long> ticks;
    private final long nanos;

    private CpuShares(Map<String, Long> ticks, long nanos) {
        this.ticks = ticks;
        this.nanos = nanos;
    }

    private record Group(String name, Predicate<String> matches) {
    }

    /** In order: the first group whose test accepts the command line takes the process. */
    private static List<Group> groups(String ingestPort, String feedPort) {
        return List.of(
                new Group("ingest-service", c -> c.contains("ingest-service") && c.contains("-Dquarkus.http.port=" + ingestPort + " ")),
                new Group("feed-service", c -> c.contains("feed-service") && c.contains("-Dquarkus.http.port=" + feedPort + " ")),
                new Group("kafka broker", c -> c.contains("kafka.Kafka ")),
                new Group("postgresql", c -> c.startsWith("postgres") || c.contains("/bin/postgres")),
                new Group("other", c -> true));
    }

    /** Every process's CPU ticks so far, grouped; this JVM is the group {@code benchmark}. */
    public static CpuShares snapshot(int ingestPort, int feedPort) {
        List<Group> groups = groups(Integer.toString(ingestPort), Integer.toString(feedPort));
        Map<String, Long> ticks = new LinkedHashMap<>();
        groups.forEach(g -> ticks.put(g.name(), 0L));
        ticks.put("benchmark", 0L);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    long pid = Long.parseLong(p.getFileName().toString());
                    String stat = Files.readString(p.resolve("stat"));
                    // fields after the command name (which may hold spaces) in parentheses: utime is 14th, stime 15th
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long used = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    String command = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    String group = pid == SELF ? "benchmark"
                            : groups.stream().filter(g -> g.matches().test(command)).findFirst().orElseThrow().name();
                    ticks.merge(group, used, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // a process that ended while listed: its time is lost for both snapshots alike
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc", e);
        }
        return new CpuShares(ticks, System.nanoTime());
    }

    /** CPU seconds of one group ({@code feed-service}, {@code benchmark}...) between {@code before} and this snapshot. */
    public double seconds(CpuShares before, String group) {
        return Math.max(0, ticks.getOrDefault(group, 0L) - before.ticks.getOrDefault(group, 0L)) / TICKS;
    }

    /** CPU seconds of every process together (this benchmark included) between {@code before} and this snapshot. */
    public double totalSeconds(CpuShares before) {
        return ticks.keySet().stream().mapToDouble(group -> seconds(before, group)).sum();
    }

    /**
     * One line per group: CPU seconds between {@code before} and this snapshot, share of the
     * machine's cores, and milliseconds of CPU per event for {@code events} events.
     */
    public String table(CpuShares before, long events, String indent) {
        double seconds = (nanos - before.nanos) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder out = new StringBuilder();
        double total = 0;
        for (String group : ticks.keySet()) {
            double cpu = seconds(before, group);
            total += cpu;
            out.append(String.format("%s%-15s %7.1f CPU s  %5.1f %% of %d cores  %6.2f ms CPU per event%n", indent,
                    group, cpu, 100 * cpu / seconds / cores, cores, 1000 * cpu / Math.max(1, events)));
        }
        out.append(String.format("%s%-15s %7.1f CPU s  %5.1f %% of %d cores  %6.2f ms CPU per event  (%.1f s wall)%n", indent,
                "all", total, 100 * total / seconds / cores, cores, 1000 * total / Math.max(1, events), seconds));
        return out.toString();
    }
}
