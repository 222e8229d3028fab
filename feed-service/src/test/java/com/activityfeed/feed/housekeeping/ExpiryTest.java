package com.activityfeed.feed.housekeeping;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.feed.ingest.EventIngestService;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Expiry by the clock (SPEC §4), announced on the change log within a second, no admin call. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class ExpiryTest {
    private final EventIngestService ingest;
    private final AgroalDataSource dataSource;

    ExpiryTest(EventIngestService ingest, AgroalDataSource dataSource) {
        this.ingest = ingest;
        this.dataSource = dataSource;
    }

    @Test
    void anExpiringMemberLeavesItsGroupAndAnExpiringSingleIsRemovedWithinASecond() throws Exception {
        String tenant = TestEvents.tenant("expiry");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant soon = now.plusSeconds(4);
        // the group's first member expires first: the group must stay, one member fewer
        RawEvent first = TestEvents.event(tenant, "x", now.minusSeconds(100)).expiresAt(soon).build();
        RawEvent second = TestEvents.event(tenant, "x", now.minusSeconds(99)).expiresAt(now.plusSeconds(3600)).build();
        RawEvent third = TestEvents.event(tenant, "x", now.minusSeconds(98)).build();
        RawEvent single = TestEvents.event(tenant, "y", now.minusSeconds(90)).expiresAt(soon).build();
        ingest.store(List.of(first, second, third, single));
        int before = changes(tenant).size();
        String reader = TestTokens.reader(tenant, "u");
        given().auth().oauth2(reader).when().get("/api/v1/feed").then().body("items.size()", equalTo(2));

        await().atMost(Duration.ofSeconds(30)).until(() -> changes(tenant).size() >= before + 2);
        List<Change> expiry = changes(tenant).subList(before, before + 2);
        assertThat(expiry).extracting(Change::event)
                .containsExactlyInAnyOrder("activity.event.updated", "activity.event.removed");
        for (Change change : expiry) {
            assertThat(change.at()).isAfterOrEqualTo(soon.minusMillis(50)).isBefore(soon.plusSeconds(1));
        }
        given().auth().oauth2(reader).when().get("/api/v1/feed").then().body("items.size()", equalTo(1))
                .body("items[0].kind", equalTo("group")).body("items[0].count", equalTo(2))
                .body("items[0].expiresAt", equalTo(null));
    }

    @Test
    void theLookForDueEventsWalksOnlyTheExpiryIndexWhateverTheTableHolds() throws Exception {
        // 20 000 events, 1 % with an expiry, in a transaction that is rolled back; the plan PostgreSQL
        // may cache for the prepared statement (a generic plan) must not walk the event table
        String tenant = "plan-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "due_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.executeUpdate("INSERT INTO event (id, tenant_id, type, source, priority, occurred_at, received_at, body, expires_at) "
                        + "SELECT gen_random_uuid(), '" + tenant + "' || (g % 5), 'x', 'api', 'normal', now(), now(), '{}', "
                        + "CASE WHEN g % 100 = 0 THEN now() + interval '1 day' END FROM generate_series(1, 20000) g");
                s.execute("ANALYZE event");
                s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                s.execute("PREPARE " + name + "(timestamptz, int) AS "
                        + HousekeepingService.DUE_SQL.replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2"));
                String plan;
                try (ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE " + name + "(now(), 500)")) {
                    rs.next();
                    plan = rs.getString(1);
                } finally {
                    s.execute("DEALLOCATE " + name);
                }
                assertThat(plan).contains("\"Plan Rows\"").contains("event_expiry")
                        .doesNotContain("Seq Scan").doesNotContain("event_tenant_arrival");
            } finally {
                c.rollback();
            }
        }
    }

    private record Change(String event, UUID tileId, Instant at) {
    }

    private List<Change> changes(String tenant) throws Exception {
        List<Change> changes = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT event, tile_id, created_at FROM change_log WHERE tenant_id = ? ORDER BY seq")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(new Change(rs.getString(1), rs.getObject(2, UUID.class),
                            rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return changes;
    }
}
