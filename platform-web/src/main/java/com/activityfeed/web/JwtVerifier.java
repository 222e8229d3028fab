package com.activityfeed.web;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.util.KeyUtils;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.UnresolvableKeyException;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Verifies tokens with SmallRye JWT (jose4j underneath): HS256 with a shared secret (local runs and
 * CI), RS256 or ES256 with a PEM public key, or RS256/ES256 with the keys of a JWKS URL (an OpenID
 * provider), looked up by {@code kid}. The JWKS is fetched again every refresh interval and at once
 * when a token names a {@code kid} it does not hold (at most once a minute, so tokens with made-up
 * key ids cannot make us hammer the provider). Only the algorithms of the configured key are
 * accepted, so {@code alg: none} and algorithm confusion are refused. Requires {@code iss},
 * {@code exp}, a {@code sub} and a valid {@code tenant}; the leeway around {@code exp} and
 * {@code nbf} is {@value #LEEWAY_SECONDS} s.
 *
 * <p>A producer or a reader sends the same token on every request until it expires, so tokens that
 * verified are remembered (at most {@value #CACHE_SIZE}, forgotten all at once when full): a repeat
 * costs a map look-up and the time checks instead of a signature check and the claims' JSON, which
 * were the largest single piece of ingest's per-request CPU. Only the exact token string that
 * verified is remembered, so a token differing in any byte is verified in full; expiry and
 * not-before are checked on every use against the clock, and a remembered token is verified in
 * full again after {@link #REMEMBER} so that a key removed from the JWKS stops its tokens soon.
 */
public final class JwtVerifier {
    public static final Pattern TENANT = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    static final int LEEWAY_SECONDS = 30;
    static final int CACHE_SIZE = 10_000;
    static final Duration REMEMBER = Duration.ofSeconds(60);
    private static final int MAX_TOKEN_LENGTH = 8192;
    /** Least time between two JWKS fetches caused by an unknown {@code kid} (SmallRye JWT counts minutes). */
    private static final int FORCED_REFRESH_MINUTES = 1;
    /** How long the last fetched JWKS keeps serving while the provider cannot be reached. */
    private static final int RETAIN_ON_ERROR_MINUTES = 60;

    private final JWTParser parser;
    private final boolean fetchesKeys;
    private final Clock clock;
    private final int cacheSize;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /** A token that verified: its caller, the times to check on every use, and when it was verified. */
    private record Verified(Caller caller, long exp, Long nbf, Instant verifiedAt) {
    }

    private JwtVerifier(JWTAuthContextInfo context, Clock clock) {
        this(context, clock, CACHE_SIZE);
    }

    private JwtVerifier(JWTAuthContextInfo context, Clock clock, int cacheSize) {
        context.setExpGracePeriodSecs(LEEWAY_SECONDS);
        context.setClockSkew(LEEWAY_SECONDS);
        // no lifetime cap, so iat stays optional as SPEC §2 has it (SmallRye requires iat otherwise)
        context.setMaxTimeToLiveSecs(0L);
        this.parser = new DefaultJWTParser(context, new DefaultJWTCallerPrincipalFactory());
        this.fetchesKeys = context.getPublicKeyLocation() != null;
        this.clock = clock;
        this.cacheSize = cacheSize;
    }

    /**
     * Whether verifying this token may wait on the network (a JWKS fetch): only with a JWKS URL and
     * a token not remembered, so the caller can move that work off the event loop.
     */
    public boolean mayBlock(String token) {
        return fetchesKeys && (token == null || !verified.containsKey(token));
    }

    /** HS256 with the UTF-8 bytes of {@code secret} as the key (at least 32 characters). */
    public static JwtVerifier hs256(String secret, String issuer, Clock clock) {
        return hs256(secret, issuer, clock, CACHE_SIZE);
    }

    /** HS256 remembering at most {@code cacheSize} tokens (tests of the cache's bound). */
    static JwtVerifier hs256(String secret, String issuer, Clock clock, int cacheSize) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException("JWT_SECRET must be at least 32 characters");
        }
        JWTAuthContextInfo context = new JWTAuthContextInfo();
        context.setIssuedBy(issuer);
        context.setSecretVerificationKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        return new JwtVerifier(context, clock, cacheSize);
    }

    /**
     * RS256 or ES256 with an X.509 (PEM "PUBLIC KEY") public key: an RSA key accepts RS256 tokens
     * only, an EC P-256 key ES256 tokens only.
     */
    public static JwtVerifier publicKey(String publicKeyPem, String issuer, Clock clock) {
        PublicKey key = decode(publicKeyPem);
        JWTAuthContextInfo context = new JWTAuthContextInfo();
        context.setIssuedBy(issuer);
        context.setPublicVerificationKey(key);
        context.setSignatureAlgorithm(Set.of(key instanceof ECPublicKey ? SignatureAlgorithm.ES256 : SignatureAlgorithm.RS256));
        return new JwtVerifier(context, clock);
    }

    /**
     * RS256 or ES256 with the keys published at {@code jwksUrl} (an OpenID provider's
     * {@code jwks_uri}), fetched on the first token, again every {@code refresh}, and at once when
     * a token's {@code kid} is unknown.
     */
    public static JwtVerifier jwks(String jwksUrl, Duration refresh, String issuer, Clock clock) {
        if (!jwksUrl.startsWith("https://") && !jwksUrl.startsWith("http://")) {
            throw new IllegalArgumentException("JWT_JWKS_URL must be an https:// (or http://) URL");
        }
        JWTAuthContextInfo context = new JWTAuthContextInfo();
        context.setIssuedBy(issuer);
        context.setPublicKeyLocation(jwksUrl);
        context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256));
        context.setJwksRefreshInterval((int) Math.max(1, refresh.toMinutes()));
        context.setForcedJwksRefreshInterval(FORCED_REFRESH_MINUTES);
        // a provider briefly down must not refuse every token: keep the last good set meanwhile
        context.setJwksRetainCacheOnErrorDuration(RETAIN_ON_ERROR_MINUTES);
        return new JwtVerifier(context, clock);
    }

    /** The verifier the settings describe: a JWKS URL wins over a PEM key, which wins over the secret. */
    public static JwtVerifier of(JwtConfig config, Clock clock) {
        Optional<String> jwks = config.jwksUrl().filter(u -> !u.isBlank());
        if (jwks.isPresent()) {
            return jwks(jwks.get().trim(), config.jwksRefresh(), config.issuer(), clock);
        }
        Optional<String> pem = config.publicKey().filter(k -> !k.isBlank());
        if (pem.isPresent()) {
            return publicKey(pem.get(), config.issuer(), clock);
        }
        return hs256(config.secret().orElse(""), config.issuer(), clock);
    }

    private static PublicKey decode(String pem) {
        try {
            return KeyUtils.decodePublicKey(pem, SignatureAlgorithm.RS256);
        } catch (GeneralSecurityException | IllegalArgumentException notRsa) {
            try {
                return KeyUtils.decodePublicKey(pem, SignatureAlgorithm.ES256);
            } catch (GeneralSecurityException | IllegalArgumentException notEc) {
                throw new IllegalArgumentException("JWT_PUBLIC_KEY is not a PEM RSA or EC public key", notEc);
            }
        }
    }

    public Caller verify(String token) {
        Verified known = token == null ? null : verified.get(token);
        Instant now = clock.instant();
        if (known != null && known.verifiedAt().plus(REMEMBER).isAfter(now)) {
            checkTimes(known.exp(), known.nbf(), now.getEpochSecond());
            return known.caller();
        }
        if (known != null) {
            verified.remove(token, known);
        }
        Verified fresh = verifyInFull(token, now);
        if (verified.size() >= cacheSize) {
            verified.clear(); // simpler than an LRU and rare: as many distinct live tokens as this is unusual
        }
        verified.put(token, fresh);
        return fresh.caller();
    }

    /** How many verified tokens are remembered (tests). */
    int remembered() {
        return verified.size();
    }

    /** The same rule as jose4j's: expired from {@code exp + leeway} on, not valid before {@code nbf - leeway}. */
    private static void checkTimes(long exp, Long nbf, long now) {
        if (now >= exp + LEEWAY_SECONDS) {
            throw new InvalidTokenException("token has expired");
        }
        if (nbf != null && now < nbf - LEEWAY_SECONDS) {
            throw new InvalidTokenException("token is not valid yet");
        }
    }

    private Verified verifyInFull(String token, Instant now) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("malformed token");
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException(reason(e));
        } catch (RuntimeException e) {
            throw new InvalidTokenException("malformed token");
        }
        String sub = jwt.getSubject() == null ? "" : jwt.getSubject();
        if (sub.isBlank() || sub.length() > 128) {
            throw new InvalidTokenException("token has no valid sub");
        }
        String tenant = text(jwt.getClaim("tenant"));
        if (!TENANT.matcher(tenant).matches()) {
            throw new InvalidTokenException("token has no valid tenant");
        }
        String name = text(jwt.getClaim("name"));
        name = name.isEmpty() ? sub : name;
        long exp = jwt.getExpirationTime();
        Long nbf = numeric(jwt.getClaim("nbf"));
        // our clock, not only the parser's: the remembered copy must obey the same rule
        checkTimes(exp, nbf, now.getEpochSecond());
        Set<String> roles = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
        return new Verified(new Caller(sub, tenant, name, roles, Instant.ofEpochSecond(exp)), exp, nbf, now);
    }

    /** A string claim's text, or empty when absent or not a string (SmallRye gives JSON-P or Java values). */
    private static String text(Object value) {
        if (value instanceof jakarta.json.JsonString s) {
            return s.getString();
        }
        return value instanceof String s ? s : "";
    }

    private static Long numeric(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof jakarta.json.JsonNumber n) {
            return n.longValue();
        }
        return null;
    }

    /** A reason safe to show the caller, from what jose4j found wrong. */
    private static String reason(ParseException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return "token has expired";
                }
                if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
                    return "token has no expiry";
                }
                if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
                    return "token is not valid yet";
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "token issuer is not accepted";
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                    return "token signature is invalid";
                }
                if (invalid.hasErrorCode(ErrorCodes.SUBJECT_MISSING) || invalid.hasErrorCode(ErrorCodes.SUBJECT_INVALID)) {
                    return "token has no valid sub";
                }
            }
            if (cause instanceof InvalidAlgorithmException) {
                return "token algorithm is not accepted (" + cause.getMessage() + ")";
            }
            if (cause instanceof UnresolvableKeyException) {
                return "token key is unknown";
            }
        }
        return "malformed token";
    }

    /** Why a token was refused; the message is safe to show to the caller. */
    public static final class InvalidTokenException extends RuntimeException {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
