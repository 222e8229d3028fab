package com.activityfeed.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtVerifierTest {
    private static final String SECRET = "a-secret-of-at-least-thirty-two-characters";
    // SmallRye JWT checks exp and nbf against the system clock, so the tokens are minted around now
    private static final Instant NOW = Instant.now();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JwtVerifier verifier = JwtVerifier.hs256(SECRET, "activity-feed", Clock.systemUTC());

    @Test
    void acceptsAValidTokenAndReadsItsClaims() {
        Caller caller = verifier.verify(hs256(SECRET, header("HS256"), claims()));

        assertThat(caller.userId()).isEqualTo("ada");
        assertThat(caller.tenant()).isEqualTo("acme");
        assertThat(caller.name()).isEqualTo("Ada");
        assertThat(caller.roles()).containsExactly("reader");
    }

    @Test
    void refusesExpiredWrongIssuerWrongSignatureAndNoneAlgorithm() {
        assertRefused(hs256(SECRET, header("HS256"), claims().put("exp", NOW.minusSeconds(3600).getEpochSecond())), "expired");
        assertRefused(hs256(SECRET, header("HS256"), claims().put("iss", "someone-else")), "issuer");
        assertRefused(hs256("another-secret-of-at-least-thirty-two-chars", header("HS256"), claims()), "signature");
        String unsigned = b64(header("none").toString()) + "." + b64(claims().toString()) + ".";
        assertRefused(unsigned, "algorithm none");
        String noneWithSignature = b64(header("none").toString()) + "." + b64(claims().toString()) + ".c2ln";
        assertRefused(noneWithSignature, "algorithm none");
    }

    @Test
    void refusesMissingClaimsAndGarbage() {
        ObjectNode noExp = claims();
        noExp.remove("exp");
        assertRefused(hs256(SECRET, header("HS256"), noExp), "expiry");
        assertRefused(hs256(SECRET, header("HS256"), claims().put("tenant", "Not_Valid")), "tenant");
        assertRefused(hs256(SECRET, header("HS256"), claims().put("sub", "")), "sub");
        assertRefused("not-a-token", "malformed");
        assertRefused("a.b.c", "malformed");
        assertRefused("", "malformed");
    }

    @Test
    void leewayOfThirtySecondsAroundExpiry() {
        // the parser reads the system clock, so the edges are a second inside and outside the leeway
        long now = Instant.now().getEpochSecond();
        assertThat(verifier.verify(hs256(SECRET, header("HS256"), claims().put("exp", now - 29)))).isNotNull();
        assertRefused(hs256(SECRET, header("HS256"), claims().put("exp", now - 31)), "expired");
        assertRefused(hs256(SECRET, header("HS256"), claims().put("nbf", now + 45)), "not valid yet");
    }

    @Test
    void theRememberedCopyAppliesTheLeewayToTheSecond() {
        MovingClock clock = new MovingClock(NOW);
        JwtVerifier remembering = JwtVerifier.hs256(SECRET, "activity-feed", clock);
        long exp = NOW.getEpochSecond() + 20;
        String token = hs256(SECRET, header("HS256"), claims().put("exp", exp));
        remembering.verify(token);

        clock.now = Instant.ofEpochSecond(exp + JwtVerifier.LEEWAY_SECONDS - 1);
        assertThat(remembering.verify(token).userId()).isEqualTo("ada");
        clock.now = Instant.ofEpochSecond(exp + JwtVerifier.LEEWAY_SECONDS);
        assertThatThrownBy(() -> remembering.verify(token)).hasMessageContaining("expired");
    }

    @Test
    void secretShorterThan32CharactersIsRefusedAtStart() {
        assertThatThrownBy(() -> JwtVerifier.hs256("x".repeat(31), "activity-feed", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(JwtVerifier.hs256("x".repeat(32), "activity-feed", Clock.systemUTC())).isNotNull();
    }

    @Test
    void rs256WithAPublicKeyAndNoHmacConfusion() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----";
        JwtVerifier rsa = JwtVerifier.publicKey(pem, "activity-feed", Clock.systemUTC());
        String input = b64(header("RS256").toString()) + "." + b64(claims().toString());
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(keys.getPrivate());
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        String token = input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());

        assertThat(rsa.verify(token).userId()).isEqualTo("ada");
        // An HS256 token signed with the public key as secret must not pass (algorithm confusion).
        String confused = hs256(pem, header("HS256"), claims());
        assertThatThrownBy(() -> rsa.verify(confused)).isInstanceOf(JwtVerifier.InvalidTokenException.class);
    }

    @Test
    void es256WithAnEcPublicKeyAcceptsOnlyEs256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----";
        JwtVerifier ec = JwtVerifier.publicKey(pem, "activity-feed", Clock.systemUTC());
        String input = b64(header("ES256").toString()) + "." + b64(claims().toString());
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(keys.getPrivate());
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        String token = input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());

        assertThat(ec.verify(token).tenant()).isEqualTo("acme");
        assertThatThrownBy(() -> ec.verify(hs256(pem, header("HS256"), claims())))
                .isInstanceOf(JwtVerifier.InvalidTokenException.class);
        assertThatThrownBy(() -> JwtVerifier.publicKey("-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----",
                "activity-feed", Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRememberedTokenIsVerifiedInFullAgainAfterAMinute() {
        MovingClock clock = new MovingClock(NOW);
        JwtVerifier remembering = JwtVerifier.hs256(SECRET, "activity-feed", clock);
        JwtVerifier otherIssuer = JwtVerifier.hs256(SECRET, "someone-else", clock);
        String token = hs256(SECRET, header("HS256"), claims());
        remembering.verify(token);
        // the same token is refused by a verifier with another issuer only because it is verified in full there
        assertThatThrownBy(() -> otherIssuer.verify(token)).hasMessageContaining("issuer");

        clock.now = NOW.plus(JwtVerifier.REMEMBER).minusSeconds(1);
        assertThat(remembering.mayBlock(token)).isFalse();
        assertThat(remembering.verify(token).userId()).isEqualTo("ada");
        clock.now = NOW.plus(JwtVerifier.REMEMBER);
        assertThat(remembering.verify(token).userId()).isEqualTo("ada");
        assertThat(remembering.remembered()).isEqualTo(1);
    }

    private void assertRefused(String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(JwtVerifier.InvalidTokenException.class)
                .hasMessageContaining(reason.equals("algorithm none") ? "none" : reason);
    }

    @Test
    void aRememberedTokenStillExpiresAndNeverExceedsTheCacheSize() {
        MovingClock clock = new MovingClock(NOW);
        JwtVerifier remembering = JwtVerifier.hs256(SECRET, "activity-feed", clock, 100);
        String token = hs256(SECRET, header("HS256"), claims().put("exp", NOW.plusSeconds(60).getEpochSecond()));

        assertThat(remembering.verify(token).userId()).isEqualTo("ada");
        assertThat(remembering.verify(token).userId()).isEqualTo("ada");
        assertThat(remembering.remembered()).isEqualTo(1);

        clock.now = NOW.plusSeconds(60 + 31); // past exp and the 30 s leeway: the remembered token is refused too
        assertThatThrownBy(() -> remembering.verify(token)).hasMessageContaining("expired");

        for (int i = 0; i < 100 + 5; i++) {
            remembering.verify(hs256(SECRET, header("HS256"), claims().put("sub", "user-" + i)
                    .put("exp", clock.now.plusSeconds(600).getEpochSecond())));
        }
        assertThat(remembering.remembered()).isBetween(1, 100);
    }

    @Test
    void aTokenThatFailedIsNotRememberedAndATamperedCopyOfAGoodOneIsVerifiedInFull() {
        String good = hs256(SECRET, header("HS256"), claims());
        verifier.verify(good);
        // the signature's first character carries six bits of its first byte: any other value changes
        // the signature (its last two carry padding bits too, so replacing them could decode to the same bytes)
        int signature = good.lastIndexOf('.') + 1;
        String tampered = good.substring(0, signature) + (good.charAt(signature) == 'A' ? 'B' : 'A') + good.substring(signature + 1);

        assertRefused(tampered, "signature");
        assertRefused(tampered, "signature");
        assertThat(verifier.remembered()).isEqualTo(1);
    }

    @Test
    void aTokenNotValidYetIsRefusedUntilItsTimeEvenWhenRemembered() {
        MovingClock clock = new MovingClock(NOW);
        JwtVerifier remembering = JwtVerifier.hs256(SECRET, "activity-feed", clock);
        String token = hs256(SECRET, header("HS256"), claims().put("nbf", NOW.getEpochSecond())
                .put("exp", NOW.plusSeconds(3600).getEpochSecond()));
        remembering.verify(token);

        clock.now = NOW.minusSeconds(31); // a clock set back past the leeway
        assertThatThrownBy(() -> remembering.verify(token)).hasMessageContaining("not valid yet");
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static ObjectNode header(String alg) {
        return JSON.createObjectNode().put("alg", alg).put("typ", "JWT");
    }

    private static ObjectNode claims() {
        ObjectNode claims = JSON.createObjectNode().put("iss", "activity-feed").put("sub", "ada").put("tenant", "acme")
                .put("name", "Ada").put("exp", NOW.plusSeconds(600).getEpochSecond());
        claims.putArray("groups").add("reader");
        return claims;
    }

    private static String hs256(String secret, ObjectNode header, ObjectNode claims) {
        String input = b64(header.toString()) + "." + b64(claims.toString());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
