package com.activityfeed.ingest.events;

import com.activityfeed.ingest.ids.EventIds;
import com.activityfeed.ingest.publish.EventPublisher;
import com.activityfeed.ingest.ratelimit.TenantRateLimiter;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.web.Caller;
import com.activityfeed.web.Problem;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * Turns request bodies into validated events (all or nothing), assigns ids, applies the tenant's
 * rate limit and publishes; the answer is given only once Kafka acknowledged every event.
 */
@ApplicationScoped
public class EventService {
    public static final int MAX_BATCH = 500;
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");

    private final EventPublisher publisher;
    private final TenantRateLimiter rateLimiter;
    private final IngestMetrics metrics;
    private final EventValidator validator;
    private final EventIds ids;
    private final Clock clock;

    public EventService(EventPublisher publisher, TenantRateLimiter rateLimiter, IngestMetrics metrics,
                        IngestConfig config) {
        this.publisher = publisher;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        this.clock = Clock.systemUTC();
        this.validator = new EventValidator(config.maxAhead(), config.maxBehind());
        this.ids = new EventIds(clock);
    }

    /**
     * {@code POST /api/v1/events}: a single event object or {@code {"events": [...]}}. Invalid,
     * forbidden and rate-limited requests throw at once; otherwise the answer completes when Kafka
     * acknowledged every event (or fails with a 503 problem).
     *
     * @param receivedNanos {@link System#nanoTime()} when the request arrived, the start of the
     *                      {@code post_to_ack} hop
     */
    public CompletableFuture<Accepted> post(Caller caller, JsonNode body, String headerKey, String traceparent,
                                            long receivedNanos) {
        if (body == null || !body.isObject()) {
            throw reject("invalid", 1, ProblemException.badRequest("the body must be a JSON object: one event or {\"events\": [...]}"));
        }
        boolean batch = body.has("events");
        List<JsonNode> nodes = new ArrayList<>();
        if (batch) {
            List<Problem.FieldError> errors = new ArrayList<>();
            body.fieldNames().forEachRemaining(name -> {
                if (!name.equals("events")) {
                    errors.add(new Problem.FieldError(null, name, "unknown field"));
                }
            });
            JsonNode events = body.get("events");
            if (!events.isArray()) {
                errors.add(new Problem.FieldError(null, "events", "must be an array of events"));
            } else if (events.isEmpty()) {
                errors.add(new Problem.FieldError(null, "events", "must hold at least one event"));
            } else if (events.size() > MAX_BATCH) {
                errors.add(new Problem.FieldError(null, "events", "at most " + MAX_BATCH + " events, was " + events.size()));
            }
            if (!errors.isEmpty()) {
                throw reject("invalid", events.isArray() ? Math.max(1, events.size()) : 1, ProblemException.validation(errors));
            }
            events.forEach(nodes::add);
            if (headerKey != null) {
                throw reject("invalid", nodes.size(), ProblemException.badRequest(
                        "the Idempotency-Key header is for a single event; give each event of a batch its own idempotencyKey"));
            }
        } else {
            nodes.add(body);
        }
        for (JsonNode node : nodes) {
            JsonNode tenantId = node.path("tenantId");
            if (tenantId.isTextual() && !tenantId.asText().equals(caller.tenant()) && !caller.hasRole(Caller.PLATFORM)) {
                throw reject("forbidden", nodes.size(), ProblemException.forbidden(
                        "only the platform role may post events for another tenant"));
            }
        }
        List<RawEvent> events = prepare(nodes, batch, caller.tenant(), headerKey);
        CompletableFuture<Accepted> answer = new CompletableFuture<>();
        publish(events, traceparent, receivedNanos).whenComplete((done, error) -> {
            if (error != null) {
                answer.completeExceptionally(error); // unwrapped: the problem mapper sees the 503 itself
            } else {
                answer.complete(Accepted.of(events));
            }
        });
        return answer;
    }

    /**
     * Validates event objects for {@code tenant} and gives them ids; throws one 400 listing every fault.
     *
     * @param headerKey the {@code Idempotency-Key} header of a single event, or null
     */
    public List<RawEvent> prepare(List<JsonNode> nodes, boolean batch, String tenant, String headerKey) {
        Instant now = clock.instant();
        List<Problem.FieldError> errors = new ArrayList<>();
        List<EventValidator.Draft> drafts = new ArrayList<>(nodes.size());
        Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Integer index = batch ? i : null;
            EventValidator.Draft draft = validator.validate(nodes.get(i), index, now, errors);
            drafts.add(draft);
            if (draft == null) {
                continue;
            }
            String key = draft.idempotencyKey();
            if (!batch && headerKey != null) {
                if (key != null && !key.equals(headerKey)) {
                    errors.add(new Problem.FieldError(null, "idempotencyKey", "differs from the Idempotency-Key header"));
                } else if (headerKey.isBlank() || headerKey.length() > EventValidator.MAX_IDEMPOTENCY_KEY) {
                    errors.add(new Problem.FieldError(null, "Idempotency-Key",
                            "must be 1 to " + EventValidator.MAX_IDEMPOTENCY_KEY + " characters"));
                }
            }
            if (key != null) {
                Integer first = keys.putIfAbsent((draft.tenantId() == null ? tenant : draft.tenantId()) + "\n" + key, i);
                if (first != null) {
                    errors.add(new Problem.FieldError(index, "idempotencyKey",
                            "repeats the key of event " + first + " in this batch"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw reject("invalid", nodes.size(), ProblemException.validation(errors));
        }
        List<RawEvent> events = new ArrayList<>(drafts.size());
        for (EventValidator.Draft d : drafts) {
            String eventTenant = d.tenantId() == null ? tenant : d.tenantId();
            String key = d.idempotencyKey() != null ? d.idempotencyKey() : (batch ? null : headerKey);
            UUID id = key == null ? ids.next() : EventIds.fromKey(eventTenant, key);
            events.add(new RawEvent(RawEvent.VERSION, id, eventTenant, d.type(), d.actor(), d.entity(),
                    d.occurredAt(), now, d.title(), d.description(), d.source(), d.priority(), d.tags(),
                    d.correlationId(), d.expiresAt(), d.change(), d.payload(), key));
        }
        return events;
    }

    /**
     * Applies the rate limit and publishes; returns once Kafka acknowledged every event. Blocks the
     * calling thread: for callers that cannot take a future (webhooks).
     */
    public void publish(List<RawEvent> events, String traceparent) {
        try {
            publish(events, traceparent, System.nanoTime()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Applies the rate limit (throws at once when over it) and publishes; the future completes once
     * Kafka acknowledged every event, or fails with a 503 problem.
     */
    public CompletableFuture<Void> publish(List<RawEvent> events, String traceparent, long receivedNanos) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, Integer> byTenant = new LinkedHashMap<>();
        events.forEach(e -> byTenant.merge(e.tenantId(), 1, Integer::sum));
        try {
            rateLimiter.acquire(byTenant);
        } catch (ProblemException e) {
            throw reject("rate_limited", events.size(), e);
        }
        long start = System.nanoTime();
        String trace = traceparent != null && TRACEPARENT.matcher(traceparent).matches() ? traceparent : null;
        CompletableFuture<Void> acked = publisher.publish(events, trace);
        CompletableFuture<Void> answer = new CompletableFuture<>();
        acked.whenComplete((ok, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                answer.completeExceptionally(cause instanceof ProblemException p ? reject("unavailable", events.size(), p) : cause);
                return;
            }
            long now = System.nanoTime();
            metrics.publishLatency(Duration.ofNanos(now - start));
            metrics.postToAck(Duration.ofNanos(now - receivedNanos));
            metrics.accepted(events.getFirst().source(), events.size());
            answer.complete(null);
        });
        return answer;
    }

    private ProblemException reject(String reason, int events, ProblemException e) {
        metrics.rejected(reason, events);
        return e;
    }

    /** The 202 body: each event's id and key, in request order. */
    @Schema(name = "Accepted")
    public record Accepted(@Schema(required = true) List<Item> events) {
        @Schema(name = "AcceptedEvent")
        public record Item(@Schema(required = true) UUID id,
                           @Schema(required = true, nullable = true, description = "the producer's key, when it gave one")
                           String idempotencyKey) {
        }

        public static Accepted of(List<RawEvent> events) {
            return new Accepted(events.stream().map(e -> new Item(e.id(), e.idempotencyKey())).toList());
        }
    }
}
