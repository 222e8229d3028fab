package com.activityfeed.social.comments;

import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.api.Comment;
import com.activityfeed.social.api.CommentPage;
import com.activityfeed.social.api.CommentRequest;
import com.activityfeed.social.paging.Cursor;
import com.activityfeed.social.paging.Page;
import com.activityfeed.social.text.PlainText;
import com.activityfeed.social.tiles.TileLookup;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.util.UUID;

@Path("/api/v1/tiles/{tileId}/comments")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.READER)
public class CommentResource {
    private final CommentService comments;
    private final TileLookup tiles;
    private final SecurityIdentity identity;

    public CommentResource(CommentService comments, TileLookup tiles, SecurityIdentity identity) {
        this.comments = comments;
        this.tiles = tiles;
        this.identity = identity;
    }

    @GET
    @APIResponse(responseCode = "200", description = "the tile's comments, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommentPage.class)))
    @APIResponse(responseCode = "400", description = "a bad cursor or limit")
    @APIResponse(responseCode = "404", description = "unknown tile, or another tenant's (after waiting up to 1 s for it)")
    public Page<SocialUpdate.Comment> list(@PathParam("tileId") String tileId, @QueryParam("cursor") String cursor,
                                           @QueryParam("limit") Integer limit) {
        Caller caller = Caller.of(identity);
        Cursor after = Cursor.decode(cursor);
        int size = Cursor.limit(limit);
        return comments.list(caller, tiles.requireKnown(tileId), after, size);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CommentRequest.class)))
    @APIResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Comment.class)))
    @APIResponse(responseCode = "400", description = "no body, or one that is not 1 to 500 characters of plain text after trimming")
    @APIResponse(responseCode = "404", description = "unknown tile, or another tenant's (after waiting up to 1 s for it)")
    public Response create(@PathParam("tileId") String tileId, JsonNode body) {
        Caller caller = Caller.of(identity);
        PlainText.only(body, "body");
        String text = PlainText.required(body, "body", CommentService.MAX_BODY);
        SocialUpdate.Comment comment = comments.create(caller, tiles.requireKnown(tileId), text);
        return Response.created(URI.create("/api/v1/tiles/" + comment.tileId() + "/comments/" + comment.id()))
                .entity(comment).build();
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "deleted (soft)")
    @APIResponse(responseCode = "403", description = "neither the author nor an admin")
    @APIResponse(responseCode = "404", description = "unknown tile or comment")
    public Response delete(@PathParam("tileId") String tileId, @PathParam("id") String id) {
        Caller caller = Caller.of(identity);
        UUID commentId;
        try {
            commentId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no such comment");
        }
        comments.delete(caller, tiles.requireKnown(tileId), commentId);
        return Response.noContent().build();
    }
}
