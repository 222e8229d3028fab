package com.activityfeed.feed.tickets;

import com.activityfeed.web.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.sql.SQLException;

/** {@code POST /api/v1/feed/stream-tickets}: a one-time ticket for an EventSource (SPEC §2). */
@Path("/api/v1/feed/stream-tickets")
@Produces(MediaType.APPLICATION_JSON)
public class TicketResource {
    private final TicketRepository tickets;
    private final SecurityIdentity identity;

    public TicketResource(TicketRepository tickets, SecurityIdentity identity) {
        this.tickets = tickets;
        this.identity = identity;
    }

    @POST
    @Blocking
    @RolesAllowed({Caller.READER, Caller.ADMIN})
    public TicketRepository.Ticket issue() throws SQLException {
        return tickets.issue(Caller.of(identity));
    }
}
