package com.activityfeed.feed.events;

import com.activityfeed.feed.events.api.EventDetail;
import com.activityfeed.feed.events.api.EventLogPage;
import com.activityfeed.feed.events.api.TimelinePage;
import com.activityfeed.feed.tiles.Cursors;
import com.activityfeed.feed.tiles.FeedFilter;
import com.activityfeed.feed.tiles.Params;
import com.activityfeed.feed.tiles.TileQueries;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.UUID;

@Path("/api/v1/feed")
// JSON trees are written as text: the generated reflection-free serialisers do not know JsonNode
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Caller.READER, Caller.ADMIN})
public class EventLogResource {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    private final EventLogRepository events;
    private final TileQueries tiles;
    private final SecurityIdentity identity;

    public EventLogResource(EventLogRepository events, TileQueries tiles, SecurityIdentity identity) {
        this.events = events;
        this.tiles = tiles;
        this.identity = identity;
    }

    @GET
    @Path("/events")
    // answers are written from JSON trees; the records describe that text for the API description
    @APIResponse(responseCode = "200", description = "events in arrival order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventLogPage.class)))
    @APIResponse(responseCode = "400", description = "a bad since, limit or filter")
    public String log(@QueryParam("since") String since, @QueryParam("limit") String limit,
                                       @QueryParam("types") List<String> types, @QueryParam("source") List<String> source,
                                       @QueryParam("entityType") String entityType,
                                       @QueryParam("entityId") String entityId) {
        Caller caller = Caller.of(identity);
        FeedFilter f = FeedFilter.parse(types, source, null, null, null, entityType, entityId, null, null, null);
        EventLogRepository.LogFilter filter = new EventLogRepository.LogFilter(f.types(), f.sources(), f.entityType(),
                f.entityId());
        int n = Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        if (since == null) {
            return events.arrivals(caller.tenant(), 0L, null, filter, n).json().toString();
        }
        if (Cursors.isCursor(since)) {
            return events.arrivals(caller.tenant(), Cursors.log(since), null, filter, n).json().toString();
        }
        return events.arrivals(caller.tenant(), null, FeedFilter.time("since", since), filter, n).json().toString();
    }

    @GET
    @Path("/events/{id}")
    @APIResponse(responseCode = "200", description = "the event and its tile",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventDetail.class)))
    @APIResponse(responseCode = "404", description = "no such event in the caller's tenant (a value that is not an id names none)")
    public String event(@PathParam("id") String id) {
        Caller caller = Caller.of(identity);
        UUID eventId = Params.id(id, "event");
        ObjectNode event = events.event(caller.tenant(), eventId);
        if (event == null) {
            throw ProblemException.notFound("no event " + id);
        }
        String tile = event.hasNonNull("tileId")
                ? tiles.tile(caller.tenant(), caller.userId(), UUID.fromString(event.get("tileId").asText())) : null;
        if (tile == null) {
            event.putNull("tile");
        } else {
            event.putRawValue("tile", new RawValue(tile)); // the tile's text as a page has it, not parsed again
        }
        return event.toString();
    }

    @GET
    @Path("/entities/{type}/{id}/events")
    @APIResponse(responseCode = "200", description = "the entity's events, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TimelinePage.class)))
    @APIResponse(responseCode = "400", description = "a bad since or limit, or an entity type or id too long")
    public String timeline(@PathParam("type") String type, @PathParam("id") String id,
                                            @QueryParam("since") String since, @QueryParam("limit") String limit) {
        Caller caller = Caller.of(identity);
        if (type.length() > 64 || id.length() > 128) {
            throw ProblemException.badRequest("entity type is at most 64 characters, entity id at most 128");
        }
        int n = Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        if (since != null && Cursors.isCursor(since)) {
            return events.timeline(caller.tenant(), type, id, Cursors.timeline(since), null, n).json().toString();
        }
        return events.timeline(caller.tenant(), type, id, null, FeedFilter.time("since", since), n).json().toString();
    }
}
