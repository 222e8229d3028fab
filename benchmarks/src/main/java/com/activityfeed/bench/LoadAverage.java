package com.activityfeed.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average (as {@code uptime} shows it), printed beside every figure. */
public final class LoadAverage {
    private LoadAverage() {
    }

    /** {@code "load 1.02 0.87 0.55"}: 1, 5 and 15 minutes. */
    public static String now() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return "load " + parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "load unknown";
        }
    }
}
