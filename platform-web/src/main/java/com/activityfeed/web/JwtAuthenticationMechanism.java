package com.activityfeed.web;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Set;

/**
 * Authenticates {@code Authorization: Bearer <JWT>} with {@link JwtVerifier}. A request without
 * the header stays anonymous (so health and metrics stay open); a request with a bad token fails.
 * With {@code quarkus.http.auth.proactive=false} the failures reach the problem+json mapper.
 */
@ApplicationScoped
public class JwtAuthenticationMechanism implements HttpAuthenticationMechanism, IdentityProvider<TokenAuthenticationRequest> {
    private static final String BEARER = "bearer ";

    private final JwtVerifier verifier;

    public JwtAuthenticationMechanism(JwtConfig config) {
        this.verifier = config.publicKey().filter(k -> !k.isBlank())
                .map(key -> JwtVerifier.rs256(key, config.issuer(), Clock.systemUTC()))
                .orElseGet(() -> JwtVerifier.hs256(config.secret().orElse(""), config.issuer(), Clock.systemUTC()));
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header == null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        if (!isBearer(header)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("Authorization must be a Bearer token"));
        }
        String token = header.substring(BEARER.length()).trim();
        return identityProviderManager.authenticate(new TokenAuthenticationRequest(new TokenCredential(token, "bearer")));
    }

    /**
     * The caller of an {@code Authorization} header's bearer token, for routes outside the JAX-RS
     * security layer (the SSE stream); the same checks as every other request.
     *
     * @throws JwtVerifier.InvalidTokenException when the header is not a bearer token or the token is refused
     */
    public Caller verifyAuthorization(String header) {
        if (header == null || !isBearer(header)) {
            throw new JwtVerifier.InvalidTokenException("Authorization must be a Bearer token");
        }
        return verifier.verify(header.substring(BEARER.length()).trim());
    }

    private static boolean isBearer(String header) {
        return header.length() >= BEARER.length() && header.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        try {
            return Uni.createFrom().item(identity(verifier.verify(request.getToken().getToken())));
        } catch (JwtVerifier.InvalidTokenException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException(e.getMessage()));
        }
    }

    /** The security identity of a verified caller; also used by stream tickets. */
    public static SecurityIdentity identity(Caller caller) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.userId()))
                .addRoles(caller.roles())
                .addAttribute(Caller.ATTRIBUTE, caller)
                .build();
    }
}
