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
 * Authenticates {@code Authorization: Bearer <JWT>} with {@link JwtVerifier} (SmallRye JWT). The
 * extension's own bearer mechanism is switched off ({@code quarkus.smallrye-jwt.enabled=false}) so
 * that this one answers: it adds the tenant and claim rules, the verified-token cache and the
 * problem+json refusals. A request without
 * the header stays anonymous (so health and metrics stay open); a request with a bad token fails.
 * With {@code quarkus.http.auth.proactive=false} the failures reach the problem+json mapper.
 */
@ApplicationScoped
public class JwtAuthenticationMechanism implements HttpAuthenticationMechanism, IdentityProvider<TokenAuthenticationRequest> {
    private static final String BEARER = "bearer ";

    private final JwtVerifier verifier;

    public JwtAuthenticationMechanism(JwtConfig config) {
        this.verifier = JwtVerifier.of(config, Clock.systemUTC());
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
        String token = request.getToken().getToken();
        if (verifier.mayBlock(token)) {
            // a JWKS fetch is blocking I/O: never on the event loop
            return context.runBlocking(() -> verified(token));
        }
        try {
            return Uni.createFrom().item(verified(token));
        } catch (AuthenticationFailedException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private SecurityIdentity verified(String token) {
        try {
            return identity(verifier.verify(token));
        } catch (JwtVerifier.InvalidTokenException e) {
            throw new AuthenticationFailedException(e.getMessage());
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
