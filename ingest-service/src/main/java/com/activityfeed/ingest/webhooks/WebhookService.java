package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.EventService;
import com.activityfeed.ingest.events.EventValidator;
import com.activityfeed.ingest.events.IngestConfig;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.messages.Rfc3339;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds the source, lets it verify and normalise the call, fits what its source considers valid
 * into the event rules (SPEC §3: a webhook never refuses a valid delivery), then validates the
 * events like any others.
 */
@ApplicationScoped
public class WebhookService {
    private static final Logger LOG = Logger.getLogger(WebhookService.class);

    private final Map<String, WebhookSource> sources;
    private final EventService events;
    private final Duration maxAhead;
    private final Duration maxBehind;
    private final Clock clock = Clock.systemUTC();

    public WebhookService(Instance<WebhookSource> sources, EventService events, IngestConfig config) {
        this.sources = sources.stream().collect(Collectors.toMap(WebhookSource::name, Function.identity()));
        this.events = events;
        this.maxAhead = config.maxAhead();
        this.maxBehind = config.maxBehind();
    }

    /** The source for a tenant, or 404 when the source is unknown or not set up for the tenant. */
    public WebhookSource source(String name, String tenant) {
        WebhookSource source = sources.get(name);
        if (source == null) {
            throw ProblemException.notFound("no webhook source " + name + "; known: " + sources.keySet().stream().sorted().toList());
        }
        if (!EventValidator.TENANT.matcher(tenant).matches() || !source.configured(tenant)) {
            throw ProblemException.notFound("no " + name + " webhook is configured for tenant " + tenant);
        }
        return source;
    }

    /** Verified, normalised and validated events of one call; nothing is published yet. */
    public List<RawEvent> normalise(WebhookSource source, WebhookRequest request) {
        List<ObjectNode> normalised = source.normalise(request);
        List<JsonNode> nodes = fit(normalised, clock.instant(), maxAhead, maxBehind);
        if (nodes.size() < normalised.size()) {
            LOG.infof("%s webhook for %s: %d of %d items repeated an earlier item's id and were skipped",
                    source.name(), request.tenant(), normalised.size() - nodes.size(), normalised.size());
        }
        return events.prepare(nodes, true, request.tenant(), null);
    }

    public EventService.Accepted publish(List<RawEvent> normalised, String traceparent) {
        events.publish(normalised, traceparent);
        return EventService.Accepted.of(normalised);
    }

    /**
     * What a source sends as valid becomes valid here: an item whose key repeats an earlier one of
     * the same delivery is skipped (the first wins; HubSpot documents that its ids may repeat), a
     * time outside the accepted window becomes the arrival time with the source's time kept in the
     * payload, and a payload over the limit is trimmed to fit.
     */
    static List<JsonNode> fit(List<ObjectNode> normalised, Instant now, Duration maxAhead, Duration maxBehind) {
        List<JsonNode> out = new ArrayList<>(normalised.size());
        Set<String> keys = new HashSet<>();
        for (ObjectNode event : normalised) {
            String key = Texts.text(event.get("idempotencyKey"));
            if (key != null && !keys.add(key)) {
                continue;
            }
            fitTime(event, now, maxAhead, maxBehind);
            if (event.get("payload") instanceof ObjectNode payload) {
                Payloads.fit(payload, EventValidator.MAX_PAYLOAD_BYTES);
            }
            out.add(event);
        }
        return out;
    }

    private static void fitTime(ObjectNode event, Instant now, Duration maxAhead, Duration maxBehind) {
        String given = Texts.text(event.get("occurredAt"));
        if (given == null) {
            event.remove("occurredAt");
            return;
        }
        Instant at = Rfc3339.parse(given);
        if (at != null && !at.isAfter(now.plus(maxAhead)) && !at.isBefore(now.minus(maxBehind))) {
            return;
        }
        event.remove("occurredAt");
        ObjectNode payload = event.get("payload") instanceof ObjectNode p ? p : event.putObject("payload");
        payload.put("sourceOccurredAt", given);
    }
}
