package com.activityfeed.kafka.outbox;

import com.activityfeed.kafka.KafkaProducers;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import javax.sql.DataSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Creates and runs the service's outbox relays: a use declares its relay with a producer method
 * ({@code @Produces @Singleton @Startup OutboxRelay relay(OutboxRelays relays, XConfig config)}),
 * this starts it and stops it before the application's beans go away (and the connection pool
 * with them).
 */
@ApplicationScoped
public class OutboxRelays {
    private final DataSource dataSource;
    private final KafkaProducers producers;
    private final MeterRegistry registry;
    private final OpenTelemetry telemetry;
    private final List<OutboxRelay> running = new CopyOnWriteArrayList<>();

    /** @param telemetry the service's OpenTelemetry (quarkus-opentelemetry); without it relays send untraced */
    public OutboxRelays(DataSource dataSource, KafkaProducers producers, MeterRegistry registry,
                        Instance<OpenTelemetry> telemetry) {
        this.dataSource = dataSource;
        this.producers = producers;
        this.registry = registry;
        this.telemetry = telemetry.isResolvable() ? telemetry.get() : OpenTelemetry.noop();
    }

    /** A started relay for {@code use}. */
    public OutboxRelay start(OutboxRelay.Use use, RelayConfig config) {
        OutboxRelay relay = new OutboxRelay(use, config, dataSource, producers, registry, telemetry);
        relay.start();
        running.add(relay);
        return relay;
    }

    void stopAll(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        running.forEach(OutboxRelay::stop);
        running.clear();
    }
}
