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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

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
    @APIResponse(responseCode = "200", description = "the tile's counts and the caller's reactions after the change",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReactionService.ReactionState.class)))
    @APIResponse(responseCode = "400", description = "unknown reaction type")
    @APIResponse(responseCode = "403", description = "the tile's own actor (any of a group's actors) cannot react")
    @APIResponse(responseCode = "404", description = "unknown tile, or another tenant's (after waiting up to 1 s for it)")
    @APIResponse(responseCode = "429", description = "more than the hourly number of new reactions; see Retry-After")
    public ReactionService.ReactionState react(@PathParam("tileId") String tileId, @PathParam("type") String type) {
        Caller caller = Caller.of(identity);
        String reaction = ReactionType.parse(type);
        return reactions.react(caller, tiles.requireKnown(tileId), reaction, true);
    }

    @DELETE
    @APIResponse(responseCode = "200", description = "the tile's counts and the caller's reactions after the change",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReactionService.ReactionState.class)))
    @APIResponse(responseCode = "400", description = "unknown reaction type")
    @APIResponse(responseCode = "404", description = "unknown tile, or another tenant's (after waiting up to 1 s for it)")
    public ReactionService.ReactionState takeBack(@PathParam("tileId") String tileId, @PathParam("type") String type) {
        Caller caller = Caller.of(identity);
        String reaction = ReactionType.parse(type);
        return reactions.react(caller, tiles.requireKnown(tileId), reaction, false);
    }
}
