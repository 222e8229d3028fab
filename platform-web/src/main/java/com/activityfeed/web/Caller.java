package com.activityfeed.web;

import io.quarkus.security.identity.SecurityIdentity;

import java.time.Instant;
import java.util.Set;

/**
 * The authenticated caller, read from the verified token's claims (SPEC §2).
 *
 * @param userId the token's {@code sub}
 * @param tenant the token's {@code tenant}
 * @param name   the token's {@code name}, or the user id when absent
 * @param roles  the token's {@code groups}
 * @param expiresAt the token's {@code exp}, null when the caller did not come from a token (a stream ticket)
 */
public record Caller(String userId, String tenant, String name, Set<String> roles, Instant expiresAt) {
    public static final String READER = "reader";
    public static final String INGEST = "ingest";
    public static final String PLATFORM = "platform";
    public static final String ADMIN = "admin";

    static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        roles = Set.copyOf(roles);
    }

    public Caller(String userId, String tenant, String name, Set<String> roles) {
        this(userId, tenant, name, roles, null);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** The caller of an authenticated identity; fails when the request was not authenticated by token. */
    public static Caller of(SecurityIdentity identity) {
        Caller caller = identity == null ? null : identity.getAttribute(ATTRIBUTE);
        if (caller == null) {
            throw new io.quarkus.security.UnauthorizedException("a bearer token is required");
        }
        return caller;
    }
}
