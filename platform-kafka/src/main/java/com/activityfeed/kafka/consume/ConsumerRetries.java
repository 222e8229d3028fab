package com.activityfeed.kafka.consume;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The {@link ConsumerRetry} of each channel of the service; stops every retry loop when the
 * application stops, so a message being retried is left unacknowledged for the next owner.
 */
@ApplicationScoped
public class ConsumerRetries {
    private final MeterRegistry registry;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<String, ConsumerRetry> byChannel = new ConcurrentHashMap<>();

    public ConsumerRetries(MeterRegistry registry, ConsumerRetryConfig config) {
        this.registry = registry;
        this.firstBackoff = config.firstBackoff();
        this.maxBackoff = config.maxBackoff();
    }

    public ConsumerRetry forChannel(String channel) {
        return byChannel.computeIfAbsent(channel,
                c -> new ConsumerRetry(c, firstBackoff, maxBackoff, stopped, registry));
    }

    Collection<ConsumerRetry> all() {
        return byChannel.values();
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        stopped.countDown();
    }
}
