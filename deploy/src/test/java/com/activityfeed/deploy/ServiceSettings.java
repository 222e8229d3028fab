package com.activityfeed.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a service's application.properties reads in a cluster: environment variables and Kafka topics. */
record ServiceSettings(String service, Properties properties) {

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");

    static ServiceSettings of(String service) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Manifests.properties(service))) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceSettings(service, p);
    }

    /** Keys that apply in a cluster: no profile, or %prod. */
    private Set<String> clusterKeys() {
        Set<String> keys = new TreeSet<>();
        for (String k : properties.stringPropertyNames()) {
            if (!k.startsWith("%") || k.startsWith("%prod.")) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** The raw value of every key that applies in a cluster, by key. */
    java.util.Map<String, String> clusterValues() {
        java.util.Map<String, String> values = new java.util.TreeMap<>();
        clusterKeys().forEach(k -> values.put(k, properties.getProperty(k)));
        return values;
    }

    Set<String> environmentVariables() {
        Set<String> vars = new TreeSet<>();
        for (String k : clusterKeys()) {
            Matcher m = ENV.matcher(properties.getProperty(k));
            while (m.find()) {
                vars.add(m.group(1));
            }
        }
        return vars;
    }

    /** Topic names of every channel and dead-letter queue. */
    Set<String> topics() {
        Set<String> topics = new TreeSet<>();
        for (String k : clusterKeys()) {
            if (k.contains("mp.messaging.") && (k.endsWith(".topic") || k.endsWith(".topics"))) {
                // A topic may itself come from a variable with a default: ${X:topic}.
                String value = properties.getProperty(k).replaceAll("\\$\\{[A-Z0-9_]+:([^}]*)}", "$1");
                for (String t : value.split(",")) {
                    if (!t.isBlank()) {
                        topics.add(t.trim());
                    }
                }
            }
        }
        return topics;
    }
}
