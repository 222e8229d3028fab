package com.activityfeed.feed.events;

import com.activityfeed.feed.TestEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.Priority;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.testsupport.infra.InfraTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The consumer's event rows through Hibernate ({@link EventWriter}): every column as the event says,
 * in arrival order, and sent before the call returns, so the rest of the consumer's transaction
 * (and a statement on the same connection) sees them.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class EventWriterTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final EventWriter writer;
    private final AgroalDataSource dataSource;

    EventWriterTest(EventWriter writer, AgroalDataSource dataSource) {
        this.writer = writer;
        this.dataSource = dataSource;
    }

    @Test
    void rowsCarryEveryColumnInArrivalOrderAndAreVisibleBeforeTheCallerCommits() throws Exception {
        String tenant = TestEvents.tenant("writer");
        RawEvent full = TestEvents.event(tenant, "badge_earned", T0)
                .actor("ada", "Ada Lovelace").entity("badge", "night-owl", "Night Owl")
                .tags("team:core", "we\"ird,{tag}", "ünï").source("github").priority(Priority.HIGH)
                .expiresAt(T0.plusSeconds(3600)).title("Ada earned Night Owl").payload("points", "12").build();
        RawEvent bare = TestEvents.event(tenant, "deploy.finished", T0.plusSeconds(1)).build();
        List<RawEvent> events = new ArrayList<>(List.of(full, bare));
        for (int i = 0; i < 500; i++) {
            events.add(TestEvents.event(tenant, "task_completed", T0.plusSeconds(2 + i)).actor("u" + i, "User " + i).build());
        }
        UUID tile = UUID.randomUUID();

        List<UUID> seenInside = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                writer.insert(c, events.stream().map(e -> StoredEvent.of(tenant, e, e == bare ? null : tile)).toList());
                return ids(c, tenant);
            }
        });
        assertThat(seenInside).as("the rows on the writer's connection before commit, in arrival order")
                .containsExactlyElementsOf(events.stream().map(RawEvent::id).toList());

        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT tenant_id, type, source, priority, actor_id, actor_name, entity_type, entity_id, entity_name,
                            tags, occurred_at, received_at, expires_at, tile_id, body::text, expired, stored_at IS NOT NULL
                     FROM event WHERE id = ?""")) {
            ps.setObject(1, full.id());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(tenant);
                assertThat(rs.getString(2)).isEqualTo("badge_earned");
                assertThat(rs.getString(3)).isEqualTo("github");
                assertThat(rs.getString(4)).isEqualTo("high");
                assertThat(List.of(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)))
                        .containsExactly("ada", "Ada Lovelace", "badge", "night-owl", "Night Owl");
                assertThat(Arrays.asList((String[]) rs.getArray(10).getArray()))
                        .containsExactly("team:core", "we\"ird,{tag}", "ünï");
                assertThat(rs.getTimestamp(11).toInstant()).isEqualTo(full.occurredAt());
                // PostgreSQL keeps microseconds
                assertThat(rs.getTimestamp(12).toInstant()).isCloseTo(full.receivedAt(), within(1, ChronoUnit.MICROS));
                assertThat(rs.getTimestamp(13).toInstant()).isEqualTo(T0.plusSeconds(3600));
                assertThat(rs.getObject(14, UUID.class)).isEqualTo(tile);
                assertThat(MessageCodec.readRawEvent(rs.getString(15))).isEqualTo(full);
                assertThat(rs.getBoolean(16)).as("expired keeps its default").isFalse();
                assertThat(rs.getBoolean(17)).as("stored_at keeps its default").isTrue();
            }
            ps.setObject(1, bare.id());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getString(3), rs.getString(4))).containsExactly("api", "normal");
                assertThat(Arrays.asList(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)))
                        .containsOnlyNulls();
                assertThat((String[]) rs.getArray(10).getArray()).isEmpty();
                assertThat(rs.getTimestamp(13)).isNull();
                assertThat(rs.getObject(14)).isNull();
            }
        }
    }

    private static List<UUID> ids(Connection c, String tenant) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM event WHERE tenant_id = ? ORDER BY pos")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }
}
