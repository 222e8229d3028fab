package com.activityfeed.web.metrics;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;

/**
 * {@code /q/metrics} in OpenMetrics for any {@code Accept: application/openmetrics-text}, with or
 * without parameters. The built-in route only matches the exact media type with its {@code version}
 * and {@code charset} parameters and answers 406 otherwise; the text format stays with it.
 */
@ApplicationScoped
public class OpenMetricsRoute {
    static final String PATH = "/q/metrics";
    static final String OPENMETRICS = "application/openmetrics-text";
    static final String CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final Vertx vertx;

    public OpenMetricsRoute(PrometheusMeterRegistry registry, Vertx vertx) {
        this.registry = registry;
        this.vertx = vertx;
    }

    void register(@Observes Router router) {
        router.get(PATH).order(-100).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        if (!wantsOpenMetrics(rc.request().getHeader("Accept"))) {
            rc.next();
            return;
        }
        vertx.executeBlocking(() -> validExemplars(registry.scrape(CONTENT_TYPE)), false).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else {
                rc.response().putHeader("Content-Type", CONTENT_TYPE).end(ar.result());
            }
        });
    }

    /**
     * Drops the exemplars OpenMetrics does not allow. With OpenTelemetry present, Micrometer adds a
     * trace exemplar to every sample recorded inside a span, also on the {@code _count} line of
     * timers and summaries without buckets; OpenMetrics allows exemplars on histogram buckets and
     * counters only, and Prometheus' parser refuses the whole scrape otherwise. Bucket and counter
     * exemplars stay, so a latency bucket still links to a trace.
     */
    static String validExemplars(String text) {
        if (!text.contains(" # {")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end);
            int exemplar = line.indexOf(" # {");
            if (exemplar > 0 && !line.startsWith("#") && !allowsExemplars(line)) {
                line = line.substring(0, exemplar);
            }
            out.append(line);
            if (end < text.length()) {
                out.append('\n');
            }
            start = end + 1;
        }
        return out.toString();
    }

    private static boolean allowsExemplars(String sample) {
        int nameEnd = 0;
        while (nameEnd < sample.length() && sample.charAt(nameEnd) != '{' && sample.charAt(nameEnd) != ' ') {
            nameEnd++;
        }
        String name = sample.substring(0, nameEnd);
        return name.endsWith("_bucket") || name.endsWith("_total");
    }

    /** OpenMetrics is asked for first, or only (as Prometheus does), not merely tolerated after text. */
    static boolean wantsOpenMetrics(String accept) {
        if (accept == null) {
            return false;
        }
        String first = accept.split(",")[0].trim().toLowerCase(Locale.ROOT);
        return first.startsWith(OPENMETRICS);
    }
}
