package com.activityfeed.feed.stream;

import com.activityfeed.messages.FeedChange;
import com.activityfeed.kafka.HopLatency;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This replica's open streams, by tenant, and the per-user connection limit. The fan-out consumer
 * hands every change to {@link #publish}; subscribers queue it without blocking the caller.
 */
@ApplicationScoped
public class StreamHub {
    static final AttributeKey<Long> SEQ = AttributeKey.longKey("feed.change.seq");
    static final AttributeKey<String> EVENT = AttributeKey.stringKey("feed.change.event");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("feed.tenant");
    static final AttributeKey<Long> SUBSCRIBERS = AttributeKey.longKey("feed.stream.subscribers");
    private final ConcurrentHashMap<String, Set<Subscription>> byTenant = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final StreamConfig config;
    private final Counter delivered;
    private final Counter cutOff;
    private final Timer latency;
    private final Timer fanoutLatency;
    private final Timer fanoutToWritten;
    private final Tracer tracer;

    public StreamHub(StreamConfig config, MeterRegistry registry, Tracer tracer) {
        this.config = config;
        this.tracer = tracer;
        Gauge.builder("feed.stream.connections", open, AtomicInteger::get)
                .description("open SSE streams on this replica").register(registry);
        this.delivered = Counter.builder("feed.stream.events.delivered")
                .description("events written to SSE streams").register(registry);
        this.cutOff = Counter.builder("feed.stream.clients.cut.off")
                .description("SSE clients cut off because they could not keep up").register(registry);
        this.latency = Timer.builder("feed.stream.delivery.latency")
                .description("from the event's ingest (or social update) time to the write on the stream")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.fanoutLatency = Timer.builder("feed.stream.fanout.latency")
                .description("from the change's commit to the write on the stream: relay, feed.changes and fan-out")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.fanoutToWritten = HopLatency.timer(registry, "fanout_to_written");
    }

    /** Takes one of the user's connection slots; false when the user holds the maximum already. */
    boolean reserve(String tenant, String userId) {
        AtomicInteger count = perUser.computeIfAbsent(key(tenant, userId), k -> new AtomicInteger());
        while (true) {
            int current = count.get();
            if (current >= config.maxConnectionsPerUser()) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives a slot back. */
    void release(String tenant, String userId) {
        perUser.computeIfPresent(key(tenant, userId), (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    void register(Subscription subscription) {
        // add inside compute, so a concurrent unregister cannot drop the tenant's set under us
        byTenant.compute(subscription.tenant(), (t, set) -> {
            Set<Subscription> subscribers = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (subscribers.add(subscription)) {
                open.incrementAndGet();
            }
            return subscribers;
        });
    }

    void unregister(Subscription subscription) {
        byTenant.computeIfPresent(subscription.tenant(), (t, set) -> {
            if (set.remove(subscription)) {
                open.decrementAndGet();
            }
            return set.isEmpty() ? null : set;
        });
    }

    /** Whether this replica has an open stream of the tenant (a change of another tenant need not even be read). */
    public boolean streams(String tenant) {
        return tenant != null && byTenant.containsKey(tenant);
    }

    /** Hands a change to the tenant's subscribers (a user notice only to that user's). Never blocks. */
    public void publish(FeedChange change) {
        publish(change, null);
    }

    /**
     * Like {@link #publish(FeedChange)}, under the fan-out span {@code fanout} (may be null); returns
     * to how many streams the change was handed.
     */
    public int publish(FeedChange change, SpanContext fanout) {
        Set<Subscription> subscribers = byTenant.get(change.tenantId());
        if (subscribers == null) {
            return 0;
        }
        Frame frame = Frame.of(change, fanout);
        int offered = 0;
        for (Subscription subscription : subscribers) {
            if (change.userId() == null || change.userId().equals(subscription.userId())) {
                subscription.offer(frame);
                offered++;
            }
        }
        return offered;
    }

    /**
     * Closes the open streams of a user ({@code userId} null: of the whole tenant) on this replica,
     * after an erasure; returns how many.
     */
    public int close(String tenant, String userId) {
        Set<Subscription> subscribers = byTenant.get(tenant);
        if (subscribers == null) {
            return 0;
        }
        int closed = 0;
        for (Subscription subscription : subscribers) {
            if (userId == null || userId.equals(subscription.userId())) {
                subscription.close();
                closed++;
            }
        }
        return closed;
    }

    /** Open streams on this replica. */
    public int openConnections() {
        return open.get();
    }

    /** Users holding at least one slot (a leak check: 0 once every stream closed). */
    public int usersWithSlots() {
        return perUser.size();
    }

    void delivered(Frame frame, boolean live) {
        delivered.increment();
        if (!live) {
            return;
        }
        long queued = System.nanoTime() - frame.madeAt();
        fanoutToWritten.record(queued, TimeUnit.NANOSECONDS);
        if (frame.trace() != null && frame.trace().claim()) {
            traceWrite(frame, queued);
        }
        Instant now = Instant.now();
        Instant source = frame.change().sourceAt();
        if (source != null) {
            latency.record(Duration.between(source, now));
        }
        if (frame.change().at() != null && !frame.isNotice()) {
            fanoutLatency.record(Duration.between(frame.change().at(), now));
        }
    }

    /**
     * The span {@code write feed.stream} of a change's first write on a stream: from the hand-off by
     * the fan-out to the write on the socket (the {@code fanout_to_written} hop), child of the fan-out span.
     */
    private void traceWrite(Frame frame, long queuedNanos) {
        long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        Span span = tracer.spanBuilder("write feed.stream").setSpanKind(SpanKind.INTERNAL)
                .setParent(Context.root().with(Span.wrap(frame.trace().parent)))
                .setStartTimestamp(now - queuedNanos, TimeUnit.NANOSECONDS)
                .setAttribute(TENANT, frame.change().tenantId())
                .setAttribute(SEQ, frame.change().seq())
                .setAttribute(EVENT, frame.change().event())
                .startSpan();
        span.end(now, TimeUnit.NANOSECONDS);
    }

    void cutOff() {
        cutOff.increment();
    }

    private static String key(String tenant, String userId) {
        return tenant + '\u0000' + userId;
    }
}
