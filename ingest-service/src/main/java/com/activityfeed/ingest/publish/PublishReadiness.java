package com.activityfeed.ingest.publish;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the transactional producers are initialised: until then a batch would be
 * answered 503 (the first start on a new cluster creates Kafka's transaction log, which can take
 * seconds), so the load balancer should not send traffic yet.
 */
@Readiness
@ApplicationScoped
public class PublishReadiness implements HealthCheck {
    private final EventPublisher publisher;

    public PublishReadiness(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kafka-transactions").status(publisher.transactionsReady()).build();
    }
}
