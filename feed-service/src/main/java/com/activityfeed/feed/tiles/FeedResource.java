package com.activityfeed.feed.tiles;

import com.activityfeed.feed.follows.FollowSets;
import com.activityfeed.feed.tiles.api.FeedPage;
import com.activityfeed.feed.tiles.api.Tile;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
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

@Path("/api/v1/feed")
// JSON trees are written as text: the generated reflection-free serialisers do not know JsonNode
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Caller.READER, Caller.ADMIN})
public class FeedResource {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private final TileQueries tiles;
    private final SecurityIdentity identity;
    private final FollowSets follows;

    public FeedResource(TileQueries tiles, SecurityIdentity identity, FollowSets follows) {
        this.tiles = tiles;
        this.identity = identity;
        this.follows = follows;
    }

    @GET
    // the page is written as text (TileQueries.Page); FeedPage describes that text for the API description
    @APIResponse(responseCode = "200", description = "one page of tiles",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FeedPage.class)))
    @APIResponse(responseCode = "400", description = "a bad limit, cursor, order, sort or filter")
    public String feed(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                                 @QueryParam("order") String order, @QueryParam("sort") String sort, @QueryParam("types") List<String> types,
                                 @QueryParam("source") List<String> source, @QueryParam("priority") List<String> priority,
                                 @QueryParam("tags") List<String> tags, @QueryParam("actorId") String actorId,
                                 @QueryParam("entityType") String entityType, @QueryParam("entityId") String entityId,
                                 @QueryParam("from") String from, @QueryParam("to") String to,
                                 @QueryParam("unread") String unread, @QueryParam("following") String following) {
        Caller caller = Caller.of(identity);
        FeedFilter filter = FeedFilter.parse(types, source, priority, tags, actorId, entityType, entityId, from, to, unread,
                following);
        int n = Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        boolean ascending = Params.ascending(order);
        String[] followTerms = filter.following() ? follows.terms(caller.tenant(), caller.userId()) : new String[0];
        return tiles.feed(caller.tenant(), caller.userId(), filter, followTerms, n, cursor, ascending, Params.activity(sort))
                .text();
    }

    @GET
    @Path("/tiles/{id}")
    @APIResponse(responseCode = "200", description = "the tile (a folded tile's id answers its group)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Tile.class)))
    @APIResponse(responseCode = "404", description = "no such tile in the caller's tenant (a value that is not an id names none)")
    public String tile(@PathParam("id") String id) {
        Caller caller = Caller.of(identity);
        String tile = tiles.tile(caller.tenant(), caller.userId(), Params.id(id, "tile"));
        if (tile == null) {
            throw ProblemException.notFound("no tile " + id);
        }
        return tile;
    }
}
