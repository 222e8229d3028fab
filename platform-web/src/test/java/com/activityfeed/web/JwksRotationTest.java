package com.activityfeed.web;

import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key rotation against a JWKS served over real HTTP on the loopback: the provider publishes two
 * keys, then rotates one out and a new one in. A token naming the new {@code kid} makes the
 * verifier fetch the set again at once; tokens signed with the removed key are refused from then on.
 */
class JwksRotationTest {
    private final AtomicReference<String> published = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer server;
    private String url;

    @BeforeEach
    void serveJwks() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aTokenOfTheRemovedKeyIsRefusedAfterTheRefreshAndOneOfTheNewKeyIsAccepted() throws Exception {
        PublicJsonWebKey retiring = rsa("2026-10");
        PublicJsonWebKey current = ec("2026-11");
        PublicJsonWebKey next = rsa("2026-12");
        publish(retiring, current);
        MovingClock clock = new MovingClock(Instant.now());
        JwtVerifier verifier = JwtVerifier.jwks(url, Duration.ofMinutes(10), "activity-feed", clock);

        String oldToken = sign(retiring, AlgorithmIdentifiers.RSA_USING_SHA256, "ada");
        assertThat(verifier.mayBlock(oldToken)).isTrue();
        assertThat(verifier.verify(oldToken).userId()).isEqualTo("ada");
        long loaded = System.nanoTime(); // jose4j cached the set before this verification returned
        assertThat(verifier.verify(sign(current, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "grace")).userId())
                .isEqualTo("grace");
        assertThat(fetches).hasValue(1);

        publish(current, next); // the provider rotates: 2026-10 out, 2026-12 in
        afterJose4jReprieve(loaded);
        assertThat(verifier.verify(sign(next, AlgorithmIdentifiers.RSA_USING_SHA256, "alan")).userId()).isEqualTo("alan");
        assertThat(fetches).as("an unknown kid fetches the set again").hasValue(2);

        assertThatThrownBy(() -> verifier.verify(sign(retiring, AlgorithmIdentifiers.RSA_USING_SHA256, "mallory")))
                .isInstanceOf(JwtVerifier.InvalidTokenException.class).hasMessageContaining("key");
        // the token of the removed key that was remembered before the rotation ends with the remembering
        clock.now = clock.now.plus(JwtVerifier.REMEMBER);
        assertThatThrownBy(() -> verifier.verify(oldToken)).isInstanceOf(JwtVerifier.InvalidTokenException.class);
        assertThat(verifier.verify(sign(current, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "grace")).tenant())
                .isEqualTo("acme");
    }

    @Test
    void anHmacTokenSignedWithAPublishedKeyAndATokenWithoutKnownKeyAreRefused() throws Exception {
        PublicJsonWebKey current = rsa("2026-11");
        publish(current);
        JwtVerifier verifier = JwtVerifier.jwks(url, Duration.ofMinutes(10), "activity-feed", Clock.systemUTC());

        JsonWebSignature confused = new JsonWebSignature();
        confused.setPayload(claims("ada").toJson());
        confused.setKeyIdHeaderValue(current.getKeyId());
        confused.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        confused.setKey(new javax.crypto.spec.SecretKeySpec(
                current.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        confused.setDoKeyValidation(false);
        assertThatThrownBy(() -> verifier.verify(confused.getCompactSerialization()))
                .isInstanceOf(JwtVerifier.InvalidTokenException.class);

        PublicJsonWebKey stranger = rsa("unknown");
        assertThatThrownBy(() -> verifier.verify(sign(stranger, AlgorithmIdentifiers.RSA_USING_SHA256, "ada")))
                .isInstanceOf(JwtVerifier.InvalidTokenException.class).hasMessageContaining("key");
    }

    /**
     * jose4j ignores a refresh within 300 ms of its last fetch (its refresh reprieve); a real
     * rotation comes minutes after the last fetch, this test within milliseconds, so it waits out
     * the rest of those 300 ms after the set was cached.
     */
    private static void afterJose4jReprieve(long loadedNanos) throws InterruptedException {
        long waited = System.nanoTime() - loadedNanos;
        long rest = Duration.ofMillis(350).toNanos() - waited;
        if (rest > 0) {
            Thread.sleep(Duration.ofNanos(rest));
        }
    }

    private void publish(PublicJsonWebKey... keys) {
        published.set(new JsonWebKeySet(List.of(keys)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    private static PublicJsonWebKey rsa(String kid) throws Exception {
        PublicJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(kid);
        return key;
    }

    private static PublicJsonWebKey ec(String kid) throws Exception {
        PublicJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId(kid);
        return key;
    }

    private static JwtClaims claims(String sub) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("activity-feed");
        claims.setSubject(sub);
        claims.setClaim("tenant", "acme");
        claims.setStringListClaim("groups", "reader");
        claims.setExpirationTimeMinutesInTheFuture(10);
        return claims;
    }

    private static String sign(PublicJsonWebKey key, String alg, String sub) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(sub).toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(alg);
        return jws.getCompactSerialization();
    }

    /** A clock the test moves (the verifier's memory of tokens; the parser reads the system clock). */
    private static final class MovingClock extends Clock {
        Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
