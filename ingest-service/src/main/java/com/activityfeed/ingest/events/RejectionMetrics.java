package com.activityfeed.ingest.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Counts every refused API request by reason, whoever refused it (validation, security, the body
 * limit, the rate limit, an unavailable broker): {@code ingest_requests_rejected_total{reason}}.
 * Refused events are counted by {@link IngestMetrics} where their number is known.
 */
@ApplicationScoped
public class RejectionMetrics {
    private final MeterRegistry registry;

    public RejectionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void install(@Observes Router router) {
        router.route("/api/v1/events").order(Integer.MIN_VALUE).handler(this::countRejections);
        router.route("/api/v1/webhooks/*").order(Integer.MIN_VALUE).handler(this::countRejections);
    }

    private void countRejections(io.vertx.ext.web.RoutingContext ctx) {
        ctx.addBodyEndHandler(v -> {
            int status = ctx.response().getStatusCode();
            if (status >= 400) {
                Counter.builder("ingest.requests.rejected").tag("reason", reason(status))
                        .register(registry).increment();
            }
        });
        ctx.next();
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> "status_" + status;
        };
    }
}
