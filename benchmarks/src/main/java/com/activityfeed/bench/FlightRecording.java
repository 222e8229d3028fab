package com.activityfeed.bench;

import java.util.Map;

/** A benchmark's option to record a service process with Flight Recorder, to see where its time goes. */
public final class FlightRecording {
    private FlightRecording() {
    }

    /**
     * When the system property {@code property} names a file (e.g. {@code -Djfr=/tmp/feed.jfr}), the
     * process started with {@code env} records itself there (profile settings, written on exit), with
     * stacks 256 frames deep: at the default 64 a request's stack through Quarkus, Hibernate and the
     * driver loses the service's own frames at its root. {@code -DjfrSettings=FILE.jfc} replaces the profile
     * settings (e.g. one made by {@code jfr configure method-profiling=max}, which samples every millisecond,
     * to see a single cold event's path).
     */
    public static void ifAsked(String property, Map<String, String> env) {
        String file = System.getProperty(property);
        if (file != null) {
            env.put("JAVA_TOOL_OPTIONS", "-XX:FlightRecorderOptions=stackdepth=256 -XX:StartFlightRecording=filename=" + file
                    + ",settings=" + System.getProperty("jfrSettings", "profile") + ",dumponexit=true");
        }
    }
}
