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
