package com.activityfeed.feed.erasure;

import com.activityfeed.testsupport.infra.InfraTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The erasure record's writers never overwrite each other: the send's {@code published_at} update
 * while the feed's part commits (found in a system test whose erasure stayed "pending" for good).
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class ErasureRecordRaceTest {
    private final ErasureService erasures;
    private final AgroalDataSource dataSource;

    ErasureRecordRaceTest(ErasureService erasures, AgroalDataSource dataSource) {
        this.erasures = erasures;
        this.dataSource = dataSource;
    }

    @Test
    void markingTheRequestSentKeepsTheFeedsPartDoneMeanwhile() throws Exception {
        UUID id = erasures.create("race-" + UUID.randomUUID().toString().substring(0, 8), "erin", "admin").id;
        CompletableFuture<Void> marked;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // the feed's part, not yet committed, holding the row as its transaction does
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE erasure_request SET feed_done_at = now() WHERE id = ?")) {
                ps.setObject(1, id);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            marked = CompletableFuture.runAsync(() -> erasures.markPublished(id));
            Thread.sleep(500); // the mark has read the row (or waits for its lock) by now
            assertThat(marked).isNotDone();
            c.commit();
        }
        marked.get(10, TimeUnit.SECONDS);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT feed_done_at, published_at FROM erasure_request WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getTimestamp(1)).as("the feed's part, committed while the send was marked").isNotNull();
                assertThat(rs.getTimestamp(2)).as("the send").isNotNull();
            }
        }
    }
}
