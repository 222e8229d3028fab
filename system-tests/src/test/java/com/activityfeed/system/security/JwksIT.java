package com.activityfeed.system.security;

import com.activityfeed.messages.FeedEvents;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import com.activityfeed.testsupport.sse.SseClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged ingest-service and feed-service configured as a cluster with an OpenID provider
 * configures them (docs/operations.md, {@code JWT_JWKS_URL}): the provider's JWKS is served on the
 * loopback with an RSA and an EC key, and tokens signed with them are minted here with the JDK's
 * own signatures. An RS256 producer token posts an event, an ES256 reader token reads it from the
 * feed and opens the stream with a ticket; the HS256 secret the services also have, a key the
 * provider never published under a published {@code kid}, and an unknown {@code kid} are refused.
 * Key rotation itself is {@code JwksRotationTest} (platform-web), which can move the clock.
 */
class JwksIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path LOGS = Infra.root().resolve("system-tests/target/service-logs");
    private static final AtomicInteger FETCHES = new AtomicInteger();

    private static KeyPair rsa;
    private static KeyPair ec;
    private static HttpServer provider;
    private static ServiceProcess ingest;
    private static ServiceProcess feed;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGenerator.generateKeyPair();
        byte[] jwks = jwks().getBytes(StandardCharsets.UTF_8);
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        provider.createContext("/realms/feed/protocol/openid-connect/certs", exchange -> {
            FETCHES.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        provider.start();
        String url = "http://127.0.0.1:" + provider.getAddress().getPort() + "/realms/feed/protocol/openid-connect/certs";

        Infra infra = Infra.shared();
        // JWT_SECRET stays set as the test environment sets it: the JWKS must win over it
        Map<String, String> ingestEnv = ServiceProcess.environment(infra, null, TestTokens.SECRET);
        ingestEnv.put("JWT_JWKS_URL", url);
        Map<String, String> feedEnv = ServiceProcess.environment(infra, "feed", TestTokens.SECRET);
        feedEnv.put("JWT_JWKS_URL", url);
        ingest = ServiceProcess.start("ingest-service", Ports.free(), ingestEnv, LOGS);
        feed = ServiceProcess.start("feed-service", Ports.free(), feedEnv, LOGS);
    }

    @AfterAll
    static void stop() {
        if (feed != null) {
            feed.close();
        }
        if (ingest != null) {
            ingest.close();
        }
        if (provider != null) {
            provider.stop(0);
        }
    }

    @Test
    void tokensOfTheProvidersKeysPostReadAndStreamAndNothingElseIsAccepted() throws Exception {
        String tenant = "jwks-" + UUID.randomUUID().toString().substring(0, 8);
        String producer = sign("RS256", "rsa-2026-11", rsa.getPrivate(), claims("producer-" + tenant, tenant, "ingest"));
        String reader = sign("ES256", "ec-2026-11", ec.getPrivate(), claims("ada", tenant, "reader"));

        HttpResponse<String> posted = send("POST", ingest, "/api/v1/events", producer,
                "{\"type\":\"badge_earned\",\"actor\":{\"id\":\"ada\",\"name\":\"Ada\"}}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        assertThat(FETCHES.get()).as("the JWKS was fetched").isPositive();
        String eventId = JSON.readTree(posted.body()).path("events").get(0).path("id").asText();

        JsonNode page = await().atMost(WAIT).until(() -> JSON.readTree(send("GET", feed, "/api/v1/feed", reader, null).body()),
                p -> p.path("items").size() == 1);
        assertThat(page.path("items").get(0).path("id").asText()).isEqualTo(eventId);

        HttpResponse<String> ticket = send("POST", feed, "/api/v1/feed/stream-tickets", reader, null);
        assertThat(ticket.statusCode()).as(ticket.body()).isEqualTo(200);
        String ticketValue = JSON.readTree(ticket.body()).path("ticket").asText();
        try (SseClient stream = SseClient.to(feed.url("/api/v1/feed/stream?ticket=" + ticketValue)).connect()) {
            assertThat(stream.status()).isEqualTo(200);
            stream.awaitEvent(FeedEvents.CONNECTED, WAIT);
        }

        // the services also hold the HS256 secret (JWT_SECRET): with a JWKS it opens nothing
        assertRefused(send("POST", ingest, "/api/v1/events", TestTokens.ingest(tenant), "{\"type\":\"badge_earned\"}"));
        assertRefused(send("GET", feed, "/api/v1/feed", TestTokens.reader(tenant, "ada"), null));
        // a key the provider never published, under the kid of one it did
        KeyPairGenerator other = KeyPairGenerator.getInstance("RSA");
        other.initialize(2048);
        String forged = sign("RS256", "rsa-2026-11", other.generateKeyPair().getPrivate(), claims("ada", tenant, "reader"));
        assertRefused(send("GET", feed, "/api/v1/feed", forged, null));
        // a kid the provider does not publish
        String unknownKid = sign("ES256", "ec-2027-01", ec.getPrivate(), claims("ada", tenant, "reader"));
        assertRefused(send("GET", feed, "/api/v1/feed", unknownKid, null));
        // the right key with the RS256 key's kid but the EC algorithm: algorithm and key must agree
        String mismatched = sign("ES256", "rsa-2026-11", ec.getPrivate(), claims("ada", tenant, "reader"));
        assertRefused(send("GET", feed, "/api/v1/feed", mismatched, null));
    }

    private static void assertRefused(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).path("status").asInt()).isEqualTo(401);
    }

    private static HttpResponse<String> send(String method, ServiceProcess service, String path, String token,
                                             String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url(path)))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode claims(String sub, String tenant, String role) {
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", TestTokens.ISSUER)
                .put("sub", sub)
                .put("tenant", tenant)
                .put("name", sub)
                .put("iat", Instant.now().getEpochSecond())
                .put("exp", Instant.now().plus(Duration.ofHours(1)).getEpochSecond());
        claims.putArray("groups").add(role);
        return claims;
    }

    /** A compact JWS: RS256 is PKCS#1 v1.5 with SHA-256, ES256 the raw R||S form (IEEE P1363) JOSE uses. */
    private static String sign(String alg, String kid, PrivateKey key, ObjectNode claims) throws GeneralSecurityException {
        ObjectNode header = JSON.createObjectNode().put("alg", alg).put("typ", "JWT").put("kid", kid);
        String input = b64(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
        signature.initSign(key);
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(signature.sign());
    }

    /** The provider's key set, as an OpenID provider's {@code jwks_uri} answers it. */
    private static String jwks() {
        RSAPublicKey r = (RSAPublicKey) rsa.getPublic();
        ECPublicKey e = (ECPublicKey) ec.getPublic();
        ObjectNode set = JSON.createObjectNode();
        set.putArray("keys").addAll(List.of(
                JSON.createObjectNode().put("kty", "RSA").put("kid", "rsa-2026-11").put("use", "sig").put("alg", "RS256")
                        .put("n", b64(unsigned(r.getModulus().toByteArray(), 256)))
                        .put("e", b64(unsigned(r.getPublicExponent().toByteArray(), 0))),
                JSON.createObjectNode().put("kty", "EC").put("kid", "ec-2026-11").put("use", "sig").put("alg", "ES256")
                        .put("crv", "P-256")
                        .put("x", b64(unsigned(e.getW().getAffineX().toByteArray(), 32)))
                        .put("y", b64(unsigned(e.getW().getAffineY().toByteArray(), 32)))));
        return set.toString();
    }

    /** Big-endian magnitude without the sign byte, left-padded to {@code length} bytes (0: as short as it is). */
    private static byte[] unsigned(byte[] twosComplement, int length) {
        byte[] magnitude = twosComplement[0] == 0 && twosComplement.length > 1
                ? Arrays.copyOfRange(twosComplement, 1, twosComplement.length) : twosComplement;
        if (magnitude.length >= length) {
            return magnitude;
        }
        byte[] padded = new byte[length];
        System.arraycopy(magnitude, 0, padded, length - magnitude.length, magnitude.length);
        return padded;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
