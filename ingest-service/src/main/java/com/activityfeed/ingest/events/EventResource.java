package com.activityfeed.ingest.events;

import com.activityfeed.web.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/events")
public class EventResource {
    private final EventService events;
    private final SecurityIdentity identity;

    public EventResource(EventService events, SecurityIdentity identity) {
        this.events = events;
        this.identity = identity;
    }

    @POST
    @Blocking
    @RolesAllowed({Caller.INGEST, Caller.PLATFORM})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response post(JsonNode body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return Response.accepted(events.accept(Caller.of(identity), body, idempotencyKey)).build();
    }
}
