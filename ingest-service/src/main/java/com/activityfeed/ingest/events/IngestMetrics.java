package com.activityfeed.ingest.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/** Prometheus meters of ingest: accepted and rejected events, batch sizes, publish latency, the post_to_ack hop. */
@ApplicationScoped
public class IngestMetrics {
    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer publishLatency;
    private final Timer postToAck;
    private final java.util.concurrent.ConcurrentMap<String, Counter> acceptedBySource = new java.util.concurrent.ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchSize = DistributionSummary.builder("ingest.batch.size")
                .description("events per accepted request").baseUnit("events")
                .publishPercentileHistogram().register(registry);
        this.publishLatency = Timer.builder("ingest.publish.latency")
                .description("time from send to the broker's acknowledgement of a whole request")
                .publishPercentileHistogram().register(registry);
        // One timer name for every hop of the pipeline (feed-service adds its own hops), buckets
        // only: client-side quantiles cannot be aggregated and break OpenMetrics parsing.
        this.postToAck = Timer.builder("pipeline.hop.latency")
                .description("time an event spends in one hop of the pipeline; here: POST received to Kafka's acknowledgement")
                .tag("hop", "post_to_ack")
                .publishPercentileHistogram().register(registry);
    }

    public void accepted(String source, int events) {
        // looked up once per source: building and registering a meter id per request costs more than the count
        acceptedBySource.computeIfAbsent(source, s -> Counter.builder("ingest.events.accepted").tag("source", s)
                .register(registry)).increment(events);
        batchSize.record(events);
    }

    /** Events refused, by reason (invalid, forbidden, rate_limited, unavailable, too_large, ...). */
    public void rejected(String reason, int events) {
        Counter.builder("ingest.events.rejected").tag("reason", reason).register(registry).increment(events);
    }

    public void publishLatency(Duration duration) {
        publishLatency.record(duration);
    }

    /** The {@code post_to_ack} hop: request received to every event acknowledged by Kafka. */
    public void postToAck(Duration duration) {
        postToAck.record(duration);
    }
}
