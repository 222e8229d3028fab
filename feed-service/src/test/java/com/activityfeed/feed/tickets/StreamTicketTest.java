package com.activityfeed.feed.tickets;

import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class StreamTicketTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;
    @Inject
    AgroalDataSource dataSource;

    private final String tenant = "tk-" + UUID.randomUUID().toString().substring(0, 8);

    private String ticket(String token) {
        Response response = given().auth().oauth2(token).post("/api/v1/feed/stream-tickets");
        assertThat(response.statusCode()).isEqualTo(200);
        Instant expiresAt = Instant.parse(response.jsonPath().getString("expiresAt"));
        assertThat(expiresAt).isBetween(Instant.now().plusSeconds(50), Instant.now().plusSeconds(61));
        return response.jsonPath().getString("ticket");
    }

    private SseClient withTicket(String ticket) {
        return SseClient.to(base.toString().replaceAll("/$", "") + "/api/v1/feed/stream?ticket="
                + URLEncoder.encode(ticket, StandardCharsets.UTF_8)).connect();
    }

    @Test
    void aTicketOpensOneStreamOnceAsItsUser() {
        String ticket = ticket(TestTokens.reader(tenant, "ann"));
        try (SseClient sse = withTicket(ticket)) {
            assertThat(sse.status()).isEqualTo(200);
            sse.awaitEvent("feed.connected", WAIT);
        }
        SseClient reused = withTicket(ticket);
        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.header("Content-Type")).hasValue("application/problem+json");
        assertThat(reused.errorBody()).contains("unknown, used or expired");
    }

    @Test
    void anExpiredTicketIsRefused() throws Exception {
        String ticket = ticket(TestTokens.reader(tenant, "ann"));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE stream_ticket SET expires_at = now() - interval '1 second' WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        SseClient expired = withTicket(ticket);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.header("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void anUnknownTicketIsRefused() {
        assertThat(withTicket("made-up").status()).isEqualTo(401);
        assertThat(withTicket("x".repeat(500)).status()).isEqualTo(401);
    }

    @Test
    void ticketsNeedAReaderToken() {
        given().post("/api/v1/feed/stream-tickets").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.ingest(tenant)).post("/api/v1/feed/stream-tickets").then().statusCode(403)
                .contentType("application/problem+json");
    }
}
