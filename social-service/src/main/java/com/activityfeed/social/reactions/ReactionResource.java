package com.activityfeed.social.reactions;

import com.activityfeed.social.tiles.TileLookup;
import com.activityfeed.web.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/tiles/{tileId}/reactions/{type}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.READER)
public class ReactionResource {
    private final ReactionService reactions;
    private final TileLookup tiles;
    private final SecurityIdentity identity;

    public ReactionResource(ReactionService reactions, TileLookup tiles, SecurityIdentity identity) {
        this.reactions = reactions;
        this.tiles = tiles;
        this.identity = identity;
    }

    @PUT
    public ReactionService.ReactionState react(@PathParam("tileId") String tileId, @PathParam("type") String type) {
        Caller caller = Caller.of(identity);
        String reaction = ReactionType.parse(type);
        return reactions.react(caller, tiles.requireKnown(tileId), reaction, true);
    }

    @DELETE
    public ReactionService.ReactionState takeBack(@PathParam("tileId") String tileId, @PathParam("type") String type) {
        Caller caller = Caller.of(identity);
        String reaction = ReactionType.parse(type);
        return reactions.react(caller, tiles.requireKnown(tileId), reaction, false);
    }
}
