package com.activityfeed.feed.tickets;

import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Clock;
import java.time.Duration;

/**
 * {@code POST /api/v1/feed/stream-tickets}: a one-time ticket for an EventSource, and a stream
 * cookie so that the EventSource's own reconnect (same URL, used ticket) is accepted (SPEC §2).
 */
@Path("/api/v1/feed/stream-tickets")
@Produces(MediaType.APPLICATION_JSON)
public class TicketResource {
    private static final Logger LOG = Logger.getLogger(TicketResource.class);

    private final TicketRepository tickets;
    private final SecurityIdentity identity;
    private final HttpServerRequest request;
    private final Clock clock = Clock.systemUTC();

    public TicketResource(TicketRepository tickets, SecurityIdentity identity, HttpServerRequest request) {
        this.tickets = tickets;
        this.identity = identity;
        this.request = request;
    }

    @POST
    @Blocking
    @RolesAllowed({Caller.READER, Caller.ADMIN})
    @APIResponse(responseCode = "200", description = "a one-time ticket, and the stream cookie in Set-Cookie",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TicketRepository.Ticket.class)))
    @APIResponse(responseCode = "503", description = "the ticket store (PostgreSQL) is unavailable; retry after Retry-After")
    public RestResponse<TicketRepository.Ticket> issue() {
        Caller caller = Caller.of(identity);
        try {
            RestResponse.ResponseBuilder<TicketRepository.Ticket> response = RestResponse.ResponseBuilder.ok(tickets.issue(caller));
            tickets.issueCookie(caller).ifPresent(cookie -> response.header(HttpHeaders.SET_COOKIE,
                    StreamCookies.header(cookie.value(), Duration.between(clock.instant(), cookie.expiresAt()), secure(request))));
            return response.build();
        } catch (PersistenceException e) {
            // the ticket store (PostgreSQL) is away: a client should retry shortly, as the stream
            // itself answers when it cannot check a ticket; not a 500
            LOG.warnf("cannot issue a stream ticket: %s", e.toString());
            throw ProblemException.unavailable("stream tickets cannot be issued right now", Duration.ofSeconds(1));
        }
    }

    /** Over HTTPS, directly or behind a proxy that says so, the cookie is only ever sent back over HTTPS. */
    static boolean secure(HttpServerRequest request) {
        if (request.isSSL()) {
            return true;
        }
        String proto = request.getHeader("X-Forwarded-Proto");
        if (proto != null && proto.split(",")[0].trim().equalsIgnoreCase("https")) {
            return true;
        }
        String forwarded = request.getHeader("Forwarded");
        return forwarded != null && forwarded.split(",")[0].toLowerCase(java.util.Locale.ROOT).matches(".*\\bproto=\"?https\"?.*");
    }
}
