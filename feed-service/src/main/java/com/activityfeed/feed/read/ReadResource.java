package com.activityfeed.feed.read;

import com.activityfeed.feed.follows.FollowSets;
import com.activityfeed.feed.tiles.FeedFilter;
import com.activityfeed.feed.tiles.TileQueries;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Event;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/feed")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Caller.READER, Caller.ADMIN})
public class ReadResource {
    public static final int MAX_TILE_IDS = 100;

    private final ReadStateRepository readState;
    private final TileQueries queries;
    private final Event<UnreadChanged> unreadChanged;
    private final SecurityIdentity identity;
    private final FollowSets follows;

    public ReadResource(ReadStateRepository readState, TileQueries queries, Event<UnreadChanged> unreadChanged,
                        SecurityIdentity identity, FollowSets follows) {
        this.follows = follows;
        this.readState = readState;
        this.queries = queries;
        this.unreadChanged = unreadChanged;
        this.identity = identity;
    }

    public record ReadRequest(List<String> tileIds) {
    }

    @POST
    @Path("/read")
    @Consumes(MediaType.APPLICATION_JSON)
    public TileQueries.Unread read(ReadRequest request) {
        Caller caller = Caller.of(identity);
        if (request == null || request.tileIds() == null || request.tileIds().isEmpty()) {
            throw ProblemException.badRequest("tileIds must list 1 to " + MAX_TILE_IDS + " tile ids");
        }
        if (request.tileIds().size() > MAX_TILE_IDS) {
            throw ProblemException.badRequest("tileIds takes at most " + MAX_TILE_IDS + " tile ids");
        }
        List<UUID> ids = new ArrayList<>();
        for (String id : request.tileIds()) {
            try {
                ids.add(UUID.fromString(String.valueOf(id)));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("tileIds holds a value that is not a tile id: " + id);
            }
        }
        // the transaction has committed when markRead returns, so the notice never runs ahead of the data
        return notify(caller, readState.markRead(caller.tenant(), caller.userId(), ids));
    }

    @POST
    @Path("/read-all")
    public TileQueries.Unread readAll() {
        Caller caller = Caller.of(identity);
        return notify(caller, readState.markAllRead(caller.tenant(), caller.userId()));
    }

    @GET
    @Path("/unread-count")
    public TileQueries.Unread unreadCount(@QueryParam("types") List<String> types,
                                          @QueryParam("source") List<String> source,
                                          @QueryParam("priority") List<String> priority,
                                          @QueryParam("tags") List<String> tags, @QueryParam("actorId") String actorId,
                                          @QueryParam("entityType") String entityType,
                                          @QueryParam("entityId") String entityId, @QueryParam("from") String from,
                                          @QueryParam("to") String to, @QueryParam("following") String following) {
        Caller caller = Caller.of(identity);
        FeedFilter filter = FeedFilter.parse(types, source, priority, tags, actorId, entityType, entityId, from, to, null,
                following);
        String[] followTerms = filter.following() ? follows.terms(caller.tenant(), caller.userId()) : new String[0];
        return queries.unreadCount(caller.tenant(), caller.userId(), filter, followTerms);
    }

    private TileQueries.Unread notify(Caller caller, TileQueries.Unread unread) {
        unreadChanged.fire(new UnreadChanged(caller.tenant(), caller.userId(), unread.unread(), unread.capped()));
        return unread;
    }
}
