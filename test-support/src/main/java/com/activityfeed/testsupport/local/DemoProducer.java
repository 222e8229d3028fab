package com.activityfeed.testsupport.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Posts a realistic mix of the seed's event types to ingest: bursts of one type that group,
 * several actors and entities, now and then a high-priority event that stays single. Stops with
 * {@link #close()}; a failed post is logged and the next tick tries again.
 */
public final class DemoProducer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DemoProducer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String[]> PEOPLE = List.of(
            new String[]{"ada", "Ada Lovelace"}, new String[]{"grace", "Grace Hopper"},
            new String[]{"linus", "Linus Torvalds"}, new String[]{"margaret", "Margaret Hamilton"},
            new String[]{"alan", "Alan Turing"}, new String[]{"barbara", "Barbara Liskov"});
    private static final List<String[]> BADGES = List.of(
            new String[]{"sprint-champion", "Sprint Champion"}, new String[]{"bug-hunter", "Bug Hunter"},
            new String[]{"night-owl", "Night Owl"}, new String[]{"reviewer", "Code Reviewer"});
    private static final List<String[]> CHALLENGES = List.of(
            new String[]{"ship-it", "Ship It Friday"}, new String[]{"zero-inbox", "Zero Inbox"},
            new String[]{"docs-week", "Docs Week"});

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String eventsUrl;
    private final String token;
    private final Random random = new Random(42);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-producer");
        t.setDaemon(true);
        return t;
    });
    private long sent;

    public DemoProducer(String ingestBaseUrl, String token) {
        this.eventsUrl = ingestBaseUrl + "/api/v1/events";
        this.token = token;
    }

    /** Posts an opening batch (so the feed is not empty), then a burst or a single event every few seconds. */
    public void start() {
        scheduler.execute(this::opening);
        scheduler.scheduleWithFixedDelay(this::tick, 4, 6, TimeUnit.SECONDS);
    }

    public long sent() {
        return sent;
    }

    private void opening() {
        ArrayNode events = JSON.createArrayNode();
        for (int i = 0; i < 4; i++) {
            events.add(badge(PEOPLE.get(i), BADGES.get(0)));
        }
        events.add(event("xp_rank_up", PEOPLE.get(4), "rank", "gold", "Gold").put("priority", "high")
                .put("title", "Alan reached Gold rank"));
        events.add(event("streak_milestone", PEOPLE.get(1), "streak", "30-days", "30-day streak"));
        events.add(event("challenge_completed", PEOPLE.get(2), "challenge", CHALLENGES.get(0)[0], CHALLENGES.get(0)[1]));
        events.add(event("deploy.finished", PEOPLE.get(3), "service", "feed-service", "feed-service")
                .put("source", "ci").put("description", "Version 1.0.0 is live"));
        post(events);
    }

    private void tick() {
        ArrayNode events = JSON.createArrayNode();
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                String[] badge = BADGES.get(random.nextInt(BADGES.size()));
                int burst = 2 + random.nextInt(3);
                for (int i = 0; i < burst; i++) {
                    events.add(badge(PEOPLE.get(random.nextInt(PEOPLE.size())), badge));
                }
            }
            case 2 -> {
                String[] challenge = CHALLENGES.get(random.nextInt(CHALLENGES.size()));
                events.add(event("challenge_completed", PEOPLE.get(random.nextInt(PEOPLE.size())), "challenge",
                        challenge[0], challenge[1]));
            }
            case 3 -> {
                String[] who = PEOPLE.get(random.nextInt(PEOPLE.size()));
                ObjectNode burst = event("tasks_burst", who, "project", "apollo", "Apollo");
                burst.putObject("payload").put("tasks", 5 + random.nextInt(10));
                events.add(burst);
            }
            default -> {
                String[] who = PEOPLE.get(random.nextInt(PEOPLE.size()));
                events.add(event("all_tasks_cleared", who, "project", "apollo", "Apollo").put("priority", "high"));
            }
        }
        post(events);
    }

    private ObjectNode badge(String[] who, String[] badge) {
        ObjectNode event = event("badge_earned", who, "badge", badge[0], badge[1]);
        event.putObject("payload").put("points", 50);
        return event;
    }

    private ObjectNode event(String type, String[] who, String entityType, String entityId, String entityName) {
        ObjectNode event = JSON.createObjectNode().put("type", type);
        event.putObject("actor").put("id", who[0]).put("name", who[1]);
        event.putObject("entity").put("type", entityType).put("id", entityId).put("name", entityName);
        event.put("occurredAt", Instant.now().toString());
        return event;
    }

    /** One request per event: works with the single-event API as well as with batches. */
    private void post(ArrayNode events) {
        for (var event : events) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(eventsUrl))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(event.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    sent++;
                } else {
                    LOG.warnf("demo event refused with %d: %s", response.statusCode(), response.body());
                }
            } catch (Exception e) {
                LOG.warnf("demo event not posted: %s", e.toString());
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
