package com.activityfeed.ingest.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Verifies one kind of webhook and turns it into event objects of the {@code POST /api/v1/events}
 * shape, which then pass the same validation as any event.
 */
public interface WebhookSource {
    /** The {@code {source}} path segment. */
    String name();

    /** Whether the tenant has this source configured; unconfigured is a 404. */
    boolean configured(String tenant);

    /**
     * Checks the signature (401 problem when wrong) and normalises the body (400 when unreadable).
     */
    List<ObjectNode> normalise(WebhookRequest request);
}
