package com.activityfeed.feed.tiles;

import com.activityfeed.web.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/feed")
@Produces(MediaType.APPLICATION_JSON)
public class FeedResource {
    private final TileRepository tiles;
    private final SecurityIdentity identity;

    public FeedResource(TileRepository tiles, SecurityIdentity identity) {
        this.tiles = tiles;
        this.identity = identity;
    }

    @GET
    @Blocking
    @RolesAllowed({Caller.READER, Caller.ADMIN})
    public TileRepository.Page feed() {
        return tiles.newest(Caller.of(identity).tenant(), 20);
    }
}
