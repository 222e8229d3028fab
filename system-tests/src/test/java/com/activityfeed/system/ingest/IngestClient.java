package com.activityfeed.system.ingest;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Posts to ingest and reads the feed over real HTTP, for the ingest system tests. */
final class IngestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final SystemUnderTest system;
    private final String tenant;

    IngestClient(SystemUnderTest system, String tenant) {
        this.system = system;
        this.tenant = tenant;
    }

    HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(system.ingest.url("/api/v1/events")))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TestTokens.ingest(tenant))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Ids of the 202 body, in order. */
    static List<String> ids(HttpResponse<String> accepted) throws IOException {
        List<String> ids = new ArrayList<>();
        JSON.readTree(accepted.body()).path("events").forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    /** Tile ids of the tenant's feed, newest first (first page of up to 100). */
    List<String> feedTileIds() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.feed.url("/api/v1/feed?limit=100")))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TestTokens.reader(tenant, "grace")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("feed answered " + response.statusCode() + ": " + response.body());
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode item : JSON.readTree(response.body()).path("items")) {
            ids.add(item.path("id").asText());
        }
        return ids;
    }

    /**
     * One event that is never grouped (distinct type, high priority), so its tile id is its event id
     * whatever grouping the feed applies.
     */
    static String event(String type, String key) {
        return "{\"type\":\"" + type + "\",\"priority\":\"high\",\"idempotencyKey\":\"" + key + "\","
                + "\"actor\":{\"id\":\"ada\",\"name\":\"Ada\"},\"title\":\"" + key + "\"}";
    }
}
