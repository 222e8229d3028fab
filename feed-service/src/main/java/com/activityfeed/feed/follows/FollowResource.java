package com.activityfeed.feed.follows;

import com.activityfeed.feed.tiles.Params;
import com.activityfeed.web.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code /api/v1/feed/follows} (SPEC §4, §4a): the caller's follows, in the caller's tenant only. */
@Path("/api/v1/feed/follows")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Caller.READER, Caller.ADMIN})
public class FollowResource {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    private final FollowService follows;
    private final SecurityIdentity identity;

    public FollowResource(FollowService follows, SecurityIdentity identity) {
        this.follows = follows;
        this.identity = identity;
    }

    @GET
    public FollowView.Page list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Caller caller = Caller.of(identity);
        return follows.list(caller.tenant(), caller.userId(), Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT), cursor);
    }

    @PUT
    @Path("/actors/{actorId}")
    public FollowView followActor(@PathParam("actorId") String actorId) {
        return follow(FollowTarget.actor(actorId));
    }

    @DELETE
    @Path("/actors/{actorId}")
    @APIResponse(responseCode = "204", description = "not followed (any more)")
    public Response unfollowActor(@PathParam("actorId") String actorId) {
        return unfollow(FollowTarget.actor(actorId));
    }

    @PUT
    @Path("/entities/{entityType}/{entityId}")
    public FollowView followEntity(@PathParam("entityType") String entityType, @PathParam("entityId") String entityId) {
        return follow(FollowTarget.entity(entityType, entityId));
    }

    @DELETE
    @Path("/entities/{entityType}/{entityId}")
    @APIResponse(responseCode = "204", description = "not followed (any more)")
    public Response unfollowEntity(@PathParam("entityType") String entityType, @PathParam("entityId") String entityId) {
        return unfollow(FollowTarget.entity(entityType, entityId));
    }

    @PUT
    @Path("/types/{type}")
    public FollowView followType(@PathParam("type") String type) {
        return follow(FollowTarget.type(type));
    }

    @DELETE
    @Path("/types/{type}")
    @APIResponse(responseCode = "204", description = "not followed (any more)")
    public Response unfollowType(@PathParam("type") String type) {
        return unfollow(FollowTarget.type(type));
    }

    private FollowView follow(FollowTarget target) {
        Caller caller = Caller.of(identity);
        return follows.follow(caller.tenant(), caller.userId(), target);
    }

    private Response unfollow(FollowTarget target) {
        Caller caller = Caller.of(identity);
        follows.unfollow(caller.tenant(), caller.userId(), target);
        return Response.noContent().build();
    }
}
