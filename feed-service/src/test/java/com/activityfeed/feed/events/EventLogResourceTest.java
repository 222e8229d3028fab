package com.activityfeed.feed.events;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.grouping.TileIds;
import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class EventLogResourceTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private final EventIngestService ingest;

    EventLogResourceTest(EventIngestService ingest) {
        this.ingest = ingest;
    }

    private static JsonPath get(String token, String path, Map<String, ?> query) {
        return given().auth().oauth2(token).queryParams(query).when().get(path).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theLogIsPolledInArrivalOrderWithANeverNullCursor() {
        String tenant = TestEvents.tenant("log");
        String token = TestTokens.reader(tenant, "u");
        JsonPath empty = get(token, "/api/v1/feed/events", Map.of());
        assertThat(empty.getList("items")).isEmpty();
        String cursor = empty.getString("nextCursor");
        assertThat(cursor).isNotNull();

        List<RawEvent> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // arrival order differs from occurredAt order
            first.add(TestEvents.event(tenant, i % 2 == 0 ? "a" : "b", T0.minusSeconds(i)).source(i < 2 ? "github" : "api")
                    .build());
        }
        ingest.store(first);
        JsonPath page = get(token, "/api/v1/feed/events", Map.of("since", cursor, "limit", 3));
        assertThat(page.getList("items.id")).containsExactly(first.get(0).id().toString(), first.get(1).id().toString(),
                first.get(2).id().toString());
        page = get(token, "/api/v1/feed/events", Map.of("since", page.getString("nextCursor"), "limit", 3));
        assertThat(page.getList("items.id")).containsExactly(first.get(3).id().toString(), first.get(4).id().toString());
        String end = page.getString("nextCursor");
        JsonPath again = get(token, "/api/v1/feed/events", Map.of("since", end));
        assertThat(again.getList("items")).isEmpty();
        assertThat(again.getString("nextCursor")).isEqualTo(end);
        RawEvent later = TestEvents.event(tenant, "a", T0).build();
        ingest.store(List.of(later));
        assertThat(get(token, "/api/v1/feed/events", Map.of("since", end)).getList("items.id"))
                .containsExactly(later.id().toString());

        assertThat(get(token, "/api/v1/feed/events", Map.of("types", "b")).getList("items")).hasSize(2);
        assertThat(get(token, "/api/v1/feed/events", Map.of("source", "github")).getList("items")).hasSize(2);
        assertThat(get(token, "/api/v1/feed/events", Map.of("since", "2000-01-01T00:00:00Z")).getList("items")).hasSize(6);
        JsonPath future = get(token, "/api/v1/feed/events", Map.of("since", "2999-01-01T00:00:00Z"));
        assertThat(future.getList("items")).isEmpty();
        assertThat(future.getString("nextCursor")).isNotNull();
    }

    @Test
    void oneEventWithItsTileAndAnEntityTimeline() {
        String tenant = TestEvents.tenant("timeline");
        String token = TestTokens.reader(tenant, "u");
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(TestEvents.event(tenant, "deal.stage_changed", T0.plusSeconds(60L * (7 - i)))
                    .entity("deal", i % 2 == 0 ? "d1" : "d2", "Deal").build());
        }
        ingest.store(events);
        JsonPath one = get(token, "/api/v1/feed/events/" + events.get(0).id(), Map.of());
        assertThat(one.getString("id")).isEqualTo(events.get(0).id().toString());
        // each later event is older than the window the first opened: late, so every one stays single
        assertThat(one.getString("tile.id")).isEqualTo(events.get(0).id().toString());
        assertThat(one.getString("tile.kind")).isEqualTo("single");
        RawEvent g1 = TestEvents.event(tenant, "x", T0).build();
        RawEvent g2 = TestEvents.event(tenant, "x", T0.plusSeconds(1)).build();
        RawEvent g3 = TestEvents.event(tenant, "x", T0.plusSeconds(2)).build();
        ingest.store(List.of(g1, g2, g3));
        JsonPath member = get(token, "/api/v1/feed/events/" + g2.id(), Map.of());
        assertThat(member.getString("tile.id")).isEqualTo(TileIds.group(tenant, g1.id()).toString());
        assertThat(member.getInt("tile.count")).isEqualTo(3);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> q = new HashMap<>(Map.of("limit", 2));
            if (cursor != null) {
                q.put("since", cursor);
            }
            JsonPath page = get(token, "/api/v1/feed/entities/deal/d1/events", q);
            seen.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null && seen.size() < 10);
        // oldest first by occurredAt: d1 events are 0, 2, 4, 6, occurring in reverse order
        assertThat(seen).containsExactly(events.get(6).id().toString(), events.get(4).id().toString(),
                events.get(2).id().toString(), events.get(0).id().toString());
        assertThat(get(token, "/api/v1/feed/entities/deal/d1/events", Map.of("since", T0.plusSeconds(180).toString()))
                .getList("items")).hasSize(3);
    }

    @Test
    void badInputAndOtherTenants() {
        String tenant = TestEvents.tenant("log-iso");
        RawEvent e = TestEvents.event(tenant, "a", T0).entity("deal", "d1", null).build();
        ingest.store(List.of(e));
        String other = TestTokens.reader(TestEvents.tenant("other"), "u");
        given().auth().oauth2(other).when().get("/api/v1/feed/events/" + e.id()).then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(get(other, "/api/v1/feed/events", Map.of()).getList("items")).isEmpty();
        assertThat(get(other, "/api/v1/feed/entities/deal/d1/events", Map.of()).getList("items")).isEmpty();
        String token = TestTokens.reader(tenant, "u");
        for (Map<String, String> q : List.of(Map.of("limit", "501"), Map.of("limit", "0"), Map.of("since", "yesterday"),
                Map.of("since", "ZTF8LTE"), Map.of("types", "NOPE"))) {
            given().auth().oauth2(token).queryParams(q).when().get("/api/v1/feed/events").then().statusCode(400)
                    .body("status", equalTo(400));
        }
        given().auth().oauth2(token).queryParam("limit", 500).when().get("/api/v1/feed/events").then().statusCode(200);
        given().auth().oauth2(token).queryParam("since", "garbage").when().get("/api/v1/feed/entities/deal/d1/events")
                .then().statusCode(400);
        given().auth().oauth2(token).when().get("/api/v1/feed/events/nope").then().statusCode(404);
    }
}
