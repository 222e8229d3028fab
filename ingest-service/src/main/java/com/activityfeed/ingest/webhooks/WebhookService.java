package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.EventService;
import com.activityfeed.ingest.events.EventValidator;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Finds the source, lets it verify and normalise the call, validates the events like any others. */
@ApplicationScoped
public class WebhookService {
    private final Map<String, WebhookSource> sources;
    private final EventService events;

    public WebhookService(Instance<WebhookSource> sources, EventService events) {
        this.sources = sources.stream().collect(Collectors.toMap(WebhookSource::name, Function.identity()));
        this.events = events;
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
        List<JsonNode> nodes = List.copyOf(source.normalise(request));
        return events.prepare(nodes, true, request.tenant(), null);
    }

    public EventService.Accepted publish(List<RawEvent> normalised, String traceparent) {
        events.publish(normalised, traceparent);
        return EventService.Accepted.of(normalised);
    }
}
