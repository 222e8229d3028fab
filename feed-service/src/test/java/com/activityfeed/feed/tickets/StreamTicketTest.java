package com.activityfeed.feed.tickets;

import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.InfraTestResource;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import io.quarkus.narayana.jta.QuarkusTransaction;
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
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "feed"))
class StreamTicketTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    TenantLog tenantLog;

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
    void aTicketOrStreamCookieAuthenticatesTheStreamOnlyAndLeavesTheTicketUnusedElsewhere() {
        String ticket = ticket(TestTokens.reader(tenant, "ann"));
        Response issued = given().auth().oauth2(TestTokens.reader(tenant, "ann")).post("/api/v1/feed/stream-tickets");
        given().queryParam("ticket", ticket).get("/api/v1/feed").then().statusCode(401)
                .contentType("application/problem+json");
        given().cookie("afp_stream", issued.getCookie("afp_stream")).get("/api/v1/feed").then().statusCode(401)
                .contentType("application/problem+json");
        try (SseClient sse = withTicket(ticket)) {
            assertThat(sse.status()).as("the ticket was not used up by the feed request").isEqualTo(200);
            sse.awaitEvent("feed.connected", WAIT);
        }
    }

    @Test
    void aBearerTokenWinsOverATicketAndIsCheckedOnItsOwn() {
        String ticket = ticket(TestTokens.reader(tenant, "ann"));
        SseClient badBearer = SseClient.to(base.toString().replaceAll("/$", "") + "/api/v1/feed/stream?ticket="
                + URLEncoder.encode(ticket, StandardCharsets.UTF_8)).bearer("not-a-token").connect();
        assertThat(badBearer.status()).isEqualTo(401);
        assertThat(badBearer.header("WWW-Authenticate")).hasValue("Bearer");
        assertThat(badBearer.errorBody()).contains("malformed token");
        try (SseClient sse = withTicket(ticket)) {
            assertThat(sse.status()).isEqualTo(200);
        }
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
        SseClient madeUp = withTicket("made-up");
        assertThat(madeUp.status()).isEqualTo(401);
        assertThat(madeUp.header("WWW-Authenticate")).hasValue("Bearer");
        assertThat(madeUp.errorBody()).contains("\"detail\":\"the stream ticket is unknown, used or expired\"");
        assertThat(withTicket("x".repeat(500)).status()).isEqualTo(401);
    }

    @Test
    void ticketsNeedAReaderToken() {
        given().post("/api/v1/feed/stream-tickets").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.ingest(tenant)).post("/api/v1/feed/stream-tickets").then().statusCode(403)
                .contentType("application/problem+json");
    }

    private static final Pattern COOKIE = Pattern.compile("^afp_stream=([A-Za-z0-9_-]{43}); (.*)$");

    @Test
    void theTicketEndpointSetsAStreamCookieThatEndsWithTheToken() {
        String token = TestTokens.mint(TestTokens.SECRET, TestTokens.ISSUER, "ann", tenant, "Ann", List.of("reader"),
                Duration.ofMinutes(10));
        Instant exp = Instant.now().plus(Duration.ofMinutes(10));
        Response response = given().auth().oauth2(token).post("/api/v1/feed/stream-tickets");
        assertThat(response.statusCode()).isEqualTo(200);
        String setCookie = response.header("Set-Cookie");
        Matcher cookie = COOKIE.matcher(setCookie);
        assertThat(cookie.matches()).as(setCookie).isTrue();
        List<String> attributes = List.of(cookie.group(2).split("; "));
        assertThat(attributes).contains("Path=/api/v1/feed/stream", "HttpOnly", "SameSite=Strict").doesNotContain("Secure");
        long maxAge = attributes.stream().filter(a -> a.startsWith("Max-Age=")).mapToLong(a -> Long.parseLong(a.substring(8)))
                .findFirst().orElseThrow();
        // never longer than the token: at most its exp, and not much less
        assertThat(maxAge).isBetween(Duration.between(Instant.now(), exp).toSeconds() - 5,
                Duration.between(Instant.now(), exp).toSeconds() + 1);
    }

    @Test
    void behindHttpsTheStreamCookieIsSecure() {
        String setCookie = given().auth().oauth2(TestTokens.reader(tenant, "ann")).header("X-Forwarded-Proto", "https")
                .post("/api/v1/feed/stream-tickets").then().statusCode(200).extract().header("Set-Cookie");
        assertThat(List.of(setCookie.split("; "))).contains("Secure", "HttpOnly", "SameSite=Strict");
    }

    @Test
    void aReconnectWithTheUsedTicketAndTheCookieResumesAfterTheLastId() {
        Response issued = given().auth().oauth2(TestTokens.reader(tenant, "ann")).post("/api/v1/feed/stream-tickets");
        String ticket = issued.jsonPath().getString("ticket");
        String cookie = "afp_stream=" + issued.getCookie("afp_stream");
        String url = base.toString().replaceAll("/$", "") + "/api/v1/feed/stream?ticket="
                + URLEncoder.encode(ticket, StandardCharsets.UTF_8);
        String lastId;
        try (SseClient first = SseClient.to(url).header("Cookie", cookie).connect()) {
            assertThat(first.status()).isEqualTo(200);
            first.awaitEvent("feed.connected", WAIT);
            append(2);
            first.awaitEvents(2, e -> e.id() != null, WAIT);
            lastId = first.lastEventId();
        }
        append(1);
        // what a standard EventSource sends on its own: the same URL, the cookie, Last-Event-ID
        try (SseClient again = SseClient.to(url).header("Cookie", cookie).lastEventId(lastId).connect()) {
            assertThat(again.status()).as(again.errorBody()).isEqualTo(200);
            SseClient.Event resumed = again.awaitEvent(e -> e.id() != null, WAIT);
            assertThat(resumed.seq()).isEqualTo(Long.parseLong(lastId) + 1);
        }
        SseClient withoutCookie = SseClient.to(url).lastEventId(lastId).connect();
        assertThat(withoutCookie.status()).isEqualTo(401);
    }

    @Test
    void theCookieAloneOpensTheStreamAsItsUserUntilItExpires() throws Exception {
        Response issued = given().auth().oauth2(TestTokens.reader(tenant, "bea")).post("/api/v1/feed/stream-tickets");
        String cookie = "afp_stream=" + issued.getCookie("afp_stream");
        String url = base.toString().replaceAll("/$", "") + "/api/v1/feed/stream";
        try (SseClient sse = SseClient.to(url).header("Cookie", cookie).connect()) {
            assertThat(sse.status()).isEqualTo(200);
            sse.awaitEvent("feed.connected", WAIT);
            append(1);
            assertThat(sse.awaitEvent(e -> e.id() != null, WAIT).data()).contains(tenantMarker());
        }
        SseClient unknown = SseClient.to(url).header("Cookie", "afp_stream=" + "x".repeat(43)).connect();
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.header("Content-Type")).hasValue("application/problem+json");
        assertThat(unknown.errorBody()).contains("\"detail\":\"the stream cookie is unknown or expired\"");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE stream_cookie SET expires_at = now() - interval '1 second' WHERE tenant_id = ? AND user_id = 'bea'")) {
            ps.setString(1, tenant);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        SseClient expired = SseClient.to(url).header("Cookie", cookie).connect();
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errorBody()).contains("stream cookie");
    }

    /**
     * The ticket store (PostgreSQL) away: the stream answers 503 with Retry-After rather than 401
     * (the ticket may be perfectly good), and so does the ticket endpoint rather than 500. The
     * ticket is not used up by a check that failed, so it opens the stream once the store is back.
     */
    @Test
    void whileTheTicketStoreIsDownTheStreamAndTheTicketEndpointAnswer503() {
        String token = TestTokens.reader(tenant, "cy");
        String ticket = ticket(token);
        Infra.shared().postgres().stop();
        try {
            SseClient refused = withTicket(ticket);
            assertThat(refused.status()).as(refused.errorBody()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.header("Retry-After")).hasValue("1");
            assertThat(refused.errorBody()).contains("\"status\":503");
            Response issue = given().auth().oauth2(token).post("/api/v1/feed/stream-tickets");
            assertThat(issue.statusCode()).as(issue.asString()).isEqualTo(503);
            assertThat(issue.contentType()).startsWith("application/problem+json");
            assertThat(issue.header("Retry-After")).isEqualTo("1");
            assertThat(issue.jsonPath().getString("detail")).isEqualTo("stream tickets cannot be issued right now");
        } finally {
            Infra.shared().postgres().start();
        }
        // the pool may hand out a connection that died with the server once more: a client retries on 503
        await().atMost(WAIT).until(() -> {
            try (SseClient sse = withTicket(ticket)) {
                assertThat(sse.status()).as("the failed checks did not use the ticket up").isIn(200, 503);
                return sse.status() == 200;
            }
        });
    }

    private String tenantMarker() {
        return "\"mark\":\"" + tenant + "\"";
    }

    private void append(int count) {
        for (int i = 0; i < count; i++) {
            UUID tileId = UUID.randomUUID();
            var data = MessageCodec.mapper().createObjectNode().put("id", tileId.toString()).put("mark", tenant);
            QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    return tenantLog.lock(c, tenant).append(new TenantLog.Entry(FeedEvents.TILE_CREATED, tileId, null,
                            null, List.of("badge_earned"), Instant.now(), data));
                }
            });
        }
    }
}
