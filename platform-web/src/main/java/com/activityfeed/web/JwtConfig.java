package com.activityfeed.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/**
 * Token verification settings; every service reads the same environment variables (SPEC §2). One
 * key source is used: a JWKS URL if set, else a PEM public key if set, else the HS256 secret.
 */
@ConfigMapping(prefix = "afp.jwt")
public interface JwtConfig {
    /** HS256 secret text ({@code JWT_SECRET}), at least 32 characters. */
    Optional<String> secret();

    /** RS256 (RSA key) or ES256 (EC P-256 key) public key in PEM ({@code JWT_PUBLIC_KEY}); wins over the secret. */
    @WithName("public-key")
    Optional<String> publicKey();

    /** An OpenID provider's JWKS ({@code JWT_JWKS_URL}), RS256 or ES256 keys chosen by {@code kid}; wins over both. */
    @WithName("jwks-url")
    Optional<String> jwksUrl();

    /**
     * How often the JWKS is fetched again ({@code JWT_JWKS_REFRESH}, whole minutes, at least one);
     * an unknown {@code kid} fetches it at once regardless (at most once a minute).
     */
    @WithName("jwks-refresh")
    @WithDefault("10m")
    Duration jwksRefresh();

    /** Expected {@code iss} ({@code JWT_ISSUER}). */
    @WithDefault("activity-feed")
    String issuer();
}
