package com.activityfeed.ingest.webhooks;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One webhook call as the normalisers see it; header names are case-insensitive.
 *
 * @param uri the full URL as the caller addressed it (HubSpot signs it)
 */
public record WebhookRequest(String tenant, String method, URI uri, Map<String, List<String>> headers,
                             String contentType, byte[] body) {
    public WebhookRequest {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = copy;
    }

    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The media type without parameters, lower case; empty when absent. */
    public String mediaType() {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
    }
}
