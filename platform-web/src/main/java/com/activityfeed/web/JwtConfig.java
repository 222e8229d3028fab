package com.activityfeed.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/** Token verification settings; every service reads the same environment variables (SPEC §2). */
@ConfigMapping(prefix = "afp.jwt")
public interface JwtConfig {
    /** HS256 secret text ({@code JWT_SECRET}), at least 32 characters. */
    Optional<String> secret();

    /** RS256 public key in PEM ({@code JWT_PUBLIC_KEY}); when set it wins over the secret. */
    @WithName("public-key")
    Optional<String> publicKey();

    /** Expected {@code iss} ({@code JWT_ISSUER}). */
    @WithDefault("activity-feed")
    String issuer();
}
