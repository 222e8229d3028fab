package com.activityfeed.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Verifies compact JWS tokens: HS256 with a shared secret (local runs and CI) or RS256 with a
 * configured public key (a cluster). Only the configured algorithm is accepted, so {@code alg: none}
 * and algorithm confusion are refused. Requires {@code iss}, {@code exp}, {@code sub} and a valid
 * {@code tenant}. Plain Java, no framework.
 *
 * <p>A producer or a reader sends the same token on every request until it expires, so tokens that
 * verified are remembered (at most {@link #CACHE_SIZE}, forgotten all at once when full): a repeat
 * costs a map look-up and the time checks instead of a signature and two JSON parses, which were
 * the largest single piece of ingest's per-request CPU. Only the exact token string that verified
 * is remembered, so a token differing in any byte is verified in full; expiry and not-before are
 * checked on every use against the clock, so a remembered token stops working when it expires.
 */
public final class JwtVerifier {
    public static final Pattern TENANT = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    private static final long LEEWAY_SECONDS = 30;
    private static final int MAX_TOKEN_LENGTH = 8192;
    static final int CACHE_SIZE = 10_000;

    private final byte[] hmacKey;
    private final PublicKey rsaKey;
    private final String issuer;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /** A token that verified: its caller and the times to check on every use. */
    private record Verified(Caller caller, long exp, Long nbf) {
    }

    private JwtVerifier(byte[] hmacKey, PublicKey rsaKey, String issuer, Clock clock) {
        this.hmacKey = hmacKey;
        this.rsaKey = rsaKey;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** HS256 with the UTF-8 bytes of {@code secret} as the key (at least 32 characters). */
    public static JwtVerifier hs256(String secret, String issuer, Clock clock) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException("JWT_SECRET must be at least 32 characters");
        }
        return new JwtVerifier(secret.getBytes(StandardCharsets.UTF_8), null, issuer, clock);
    }

    /** RS256 with an X.509 (PEM "PUBLIC KEY") RSA public key. */
    public static JwtVerifier rs256(String publicKeyPem, String issuer, Clock clock) {
        try {
            String base64 = publicKeyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PublicKey key = KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return new JwtVerifier(null, key, issuer, clock);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("JWT_PUBLIC_KEY is not a PEM RSA public key", e);
        }
    }

    public Caller verify(String token) {
        Verified known = token == null ? null : verified.get(token);
        if (known != null) {
            checkTimes(known.exp(), known.nbf());
            return known.caller();
        }
        Verified fresh = verifyInFull(token);
        if (verified.size() >= CACHE_SIZE) {
            verified.clear(); // simpler than an LRU and rare: as many distinct live tokens as this is unusual
        }
        verified.put(token, fresh);
        return fresh.caller();
    }

    /** How many verified tokens are remembered (tests). */
    int remembered() {
        return verified.size();
    }

    private void checkTimes(long exp, Long nbf) {
        long now = clock.instant().getEpochSecond();
        if (exp + LEEWAY_SECONDS < now) {
            throw new InvalidTokenException("token has expired");
        }
        if (nbf != null && nbf - LEEWAY_SECONDS > now) {
            throw new InvalidTokenException("token is not valid yet");
        }
    }

    private Verified verifyInFull(String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("malformed token");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[2].isEmpty()) {
            throw new InvalidTokenException("malformed token");
        }
        JsonNode header = decodeJson(parts[0]);
        String alg = header.path("alg").asText("");
        String expectedAlg = hmacKey != null ? "HS256" : "RS256";
        if (!expectedAlg.equals(alg)) {
            throw new InvalidTokenException("token algorithm " + (alg.isEmpty() ? "missing" : alg) + " is not accepted");
        }
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = decode(parts[2]);
        if (!signatureValid(signingInput, signature)) {
            throw new InvalidTokenException("token signature is invalid");
        }
        JsonNode claims = decodeJson(parts[1]);
        if (!issuer.equals(claims.path("iss").asText(null))) {
            throw new InvalidTokenException("token issuer is not accepted");
        }
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isNumber()) {
            throw new InvalidTokenException("token has no expiry");
        }
        JsonNode nbfClaim = claims.get("nbf");
        Long nbf = nbfClaim != null && nbfClaim.isNumber() ? nbfClaim.asLong() : null;
        checkTimes(exp.asLong(), nbf);
        String sub = claims.path("sub").asText("");
        if (sub.isBlank() || sub.length() > 128) {
            throw new InvalidTokenException("token has no valid sub");
        }
        String tenant = claims.path("tenant").asText("");
        if (!TENANT.matcher(tenant).matches()) {
            throw new InvalidTokenException("token has no valid tenant");
        }
        Set<String> roles = new LinkedHashSet<>();
        claims.path("groups").forEach(g -> {
            if (g.isTextual()) {
                roles.add(g.asText());
            }
        });
        String name = claims.path("name").isTextual() ? claims.get("name").asText() : sub;
        return new Verified(new Caller(sub, tenant, name, roles, java.time.Instant.ofEpochSecond(exp.asLong())),
                exp.asLong(), nbf);
    }

    private boolean signatureValid(byte[] input, byte[] signature) {
        try {
            if (hmacKey != null) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
                return MessageDigest.isEqual(mac.doFinal(input), signature);
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(rsaKey);
            verifier.update(input);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private JsonNode decodeJson(String part) {
        try {
            JsonNode node = mapper.readTree(decode(part));
            if (node == null || !node.isObject()) {
                throw new InvalidTokenException("malformed token");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new InvalidTokenException("malformed token");
        }
    }

    private static byte[] decode(String part) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("malformed token");
        }
    }

    /** Why a token was refused; the message is safe to show to the caller. */
    public static final class InvalidTokenException extends RuntimeException {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
