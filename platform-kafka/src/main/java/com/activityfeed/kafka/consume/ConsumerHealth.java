package com.activityfeed.kafka.consume;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness is DOWN while any consumer retries a failure that is not its message's own (a
 * database outage, a read-only replica): the service cannot do its work, and saying so lets the
 * platform route reads elsewhere and alert. Liveness stays UP: restarting would not help.
 */
@Readiness
@ApplicationScoped
public class ConsumerHealth implements HealthCheck {
    private final ConsumerRetries retries;

    public ConsumerHealth(ConsumerRetries retries) {
        this.retries = retries;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("event-consumers").up();
        for (ConsumerRetry retry : retries.all()) {
            if (retry.stalled()) {
                response.down().withData(retry.channel(), "stalled: " + retry.lastFailure());
            } else {
                response.withData(retry.channel(), "consuming");
            }
        }
        return response.build();
    }
}
