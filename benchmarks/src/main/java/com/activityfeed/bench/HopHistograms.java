package com.activityfeed.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code pipeline_hop_latency_seconds} histograms of one or more services' {@code /q/metrics}:
 * scraped before and after a run, the difference of the cumulative bucket counts gives each hop's
 * distribution during the run only, and percentiles are read from it (linear within a bucket, as
 * Prometheus' histogram_quantile does).
 */
public final class HopHistograms {
    /** The hops in pipeline order; others found in the metrics are printed after these. */
    public static final List<String> ORDER = List.of("post_to_ack", "append_to_consumed", "consumed_to_committed",
            "committed_to_published", "published_to_fanout", "fanout_to_written");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // the labels end at the first '}': a bucket line may carry a trace exemplar after the count
    // ("... 1234 # {trace_id=\"..\"} 0.671 ..."), whose value must not be read as the count
    private static final Pattern BUCKET = Pattern.compile(
            "^pipeline_hop_latency_seconds_bucket\\{([^}]*)} ([0-9.eE+-]+|NaN)");
    private static final Pattern HOP = Pattern.compile("hop=\"([^\"]+)\"");
    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

    /** hop -> upper bound (seconds; +Inf as infinity) -> cumulative count. */
    private final Map<String, TreeMap<Double, Double>> buckets;

    private HopHistograms(Map<String, TreeMap<Double, Double>> buckets) {
        this.buckets = buckets;
    }

    /** Scrapes every URL (e.g. ingest's and feed's {@code /q/metrics}); a service that is down adds nothing. */
    public static HopHistograms scrape(String... metricsUrls) {
        Map<String, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
        for (String url : metricsUrls) {
            String text;
            try {
                text = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception e) {
                continue;
            }
            for (String line : text.split("\n")) {
                Matcher m = BUCKET.matcher(line);
                if (!m.find()) {
                    continue;
                }
                Matcher hop = HOP.matcher(m.group(1));
                Matcher le = LE.matcher(m.group(1));
                if (!hop.find() || !le.find()) {
                    continue;
                }
                double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
                // several replicas or label sets of one hop add up
                buckets.computeIfAbsent(hop.group(1), h -> new TreeMap<>()).merge(bound, Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return new HopHistograms(buckets);
    }

    /** What was recorded between {@code before} and this scrape. */
    public HopHistograms minus(HopHistograms before) {
        Map<String, TreeMap<Double, Double>> delta = new LinkedHashMap<>();
        buckets.forEach((hop, counts) -> {
            TreeMap<Double, Double> d = new TreeMap<>();
            TreeMap<Double, Double> old = before.buckets.getOrDefault(hop, new TreeMap<>());
            counts.forEach((bound, count) -> d.put(bound, count - old.getOrDefault(bound, 0.0)));
            delta.put(hop, d);
        });
        return new HopHistograms(delta);
    }

    public List<String> hops() {
        List<String> hops = new ArrayList<>(ORDER.stream().filter(buckets::containsKey).toList());
        buckets.keySet().stream().filter(h -> !ORDER.contains(h)).sorted().forEach(hops::add);
        return hops;
    }

    public long count(String hop) {
        TreeMap<Double, Double> counts = buckets.get(hop);
        return counts == null || counts.isEmpty() ? 0 : Math.round(counts.lastEntry().getValue());
    }

    /** The q-quantile of a hop in milliseconds, NaN when nothing was recorded. */
    public double quantileMillis(String hop, double q) {
        TreeMap<Double, Double> counts = buckets.get(hop);
        if (counts == null || counts.isEmpty() || counts.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double total = counts.lastEntry().getValue();
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : counts.entrySet()) {
            if (e.getValue() >= rank) {
                if (e.getKey().isInfinite()) {
                    return lowerBound * 1000; // above the highest finite bucket: report that bound
                }
                double inBucket = e.getValue() - lowerCount;
                double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return (lowerBound + (e.getKey() - lowerBound) * fraction) * 1000;
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound * 1000;
    }

    /** One line per hop: count, p50/p95/p99. */
    public String table(String indent) {
        StringBuilder out = new StringBuilder();
        for (String hop : hops()) {
            out.append(String.format("%s%-24s n=%-8d p50=%8.2f ms  p95=%8.2f ms  p99=%8.2f ms%n", indent, hop, count(hop),
                    quantileMillis(hop, 0.50), quantileMillis(hop, 0.95), quantileMillis(hop, 0.99)));
        }
        if (out.isEmpty()) {
            out.append(indent).append("(no pipeline_hop_latency_seconds histogram in the services' metrics)\n");
        }
        return out.toString();
    }
}
