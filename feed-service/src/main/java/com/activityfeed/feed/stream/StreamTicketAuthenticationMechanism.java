package com.activityfeed.feed.stream;

import com.activityfeed.feed.tickets.StreamCookies;
import com.activityfeed.feed.tickets.TicketRepository;
import com.activityfeed.web.Caller;
import com.activityfeed.web.JwtAuthenticationMechanism;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.Set;

/**
 * The stream's second way in (SPEC §5): a one-time {@code ?ticket=} or the stream cookie the
 * ticket endpoint set, for browsers whose EventSource cannot send a header. Only on the stream's
 * path and only without an {@code Authorization} header (a bearer token is
 * {@link JwtAuthenticationMechanism}'s). Tickets live in PostgreSQL, so the look-up runs off the
 * event loop. The identity carries the same {@link Caller} a token gives, so the stream reads the
 * caller the same way whichever mechanism answered.
 */
@ApplicationScoped
public class StreamTicketAuthenticationMechanism
        implements HttpAuthenticationMechanism, IdentityProvider<StreamTicketAuthenticationMechanism.TicketRequest> {
    private static final Logger LOG = Logger.getLogger(StreamTicketAuthenticationMechanism.class);

    private final TicketRepository tickets;

    public StreamTicketAuthenticationMechanism(TicketRepository tickets) {
        this.tickets = tickets;
    }

    /** A ticket, a cookie, or both (an EventSource reconnecting with its used ticket and the cookie). */
    public static final class TicketRequest extends BaseAuthenticationRequest {
        final String ticket;
        final String cookie;

        TicketRequest(String ticket, String cookie) {
            this.ticket = ticket;
            this.cookie = cookie;
        }
    }

    /** Tickets could not be checked (the database is unreachable): a 503, not a 401. */
    public static final class TicketsUnavailableException extends RuntimeException {
        TicketsUnavailableException(Throwable cause) {
            super("tickets cannot be checked right now", cause);
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        HttpServerRequest request = context.request();
        if (!StreamRoute.PATH.equals(context.normalizedPath()) || request.getHeader("Authorization") != null) {
            return Uni.createFrom().nullItem();
        }
        String ticket = request.getParam("ticket");
        Cookie cookie = request.getCookie(StreamCookies.NAME);
        String cookieValue = cookie == null ? null : cookie.getValue();
        if (ticket == null && cookieValue == null) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(new TicketRequest(ticket, cookieValue));
    }

    @Override
    public Class<TicketRequest> getRequestType() {
        return TicketRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TicketRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            Optional<Caller> caller;
            try {
                caller = tickets.authenticate(request.ticket, request.cookie);
            } catch (RuntimeException e) {
                LOG.warnf("cannot check a stream ticket or cookie: %s", e.toString());
                throw new TicketsUnavailableException(e);
            }
            return JwtAuthenticationMechanism.identity(caller.orElseThrow(() -> new AuthenticationFailedException(
                    request.ticket == null ? "the stream cookie is unknown or expired"
                            : "the stream ticket is unknown, used or expired"
                            + (request.cookie == null ? "" : ", and so is the stream cookie"))));
        });
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TicketRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE, StreamCookies.NAME));
    }
}
