package com.activityfeed.social.chat;

import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.api.Message;
import com.activityfeed.social.api.MessagePage;
import com.activityfeed.social.api.MessageRequest;
import com.activityfeed.social.api.ThreadPage;
import com.activityfeed.social.api.ThreadRename;
import com.activityfeed.social.api.ThreadRequest;
import com.activityfeed.social.paging.Cursor;
import com.activityfeed.social.paging.Page;
import com.activityfeed.social.text.PlainText;
import com.activityfeed.social.tiles.TileLookup;
import com.activityfeed.web.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

@Path("/api/v1/chat")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.READER)
public class ChatResource {
    private final ChatService chat;
    private final TileLookup tiles;
    private final SecurityIdentity identity;

    public ChatResource(ChatService chat, TileLookup tiles, SecurityIdentity identity) {
        this.chat = chat;
        this.tiles = tiles;
        this.identity = identity;
    }

    @GET
    @Path("/threads")
    @APIResponse(responseCode = "200", description = "the tenant's threads",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ThreadPage.class)))
    @APIResponse(responseCode = "400", description = "a bad cursor or limit")
    public Page<SocialUpdate.Thread> threads(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Caller caller = Caller.of(identity);
        return chat.threads(caller, Cursor.decode(cursor), Cursor.limit(limit));
    }

    @POST
    @Path("/threads")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ThreadRequest.class)))
    @APIResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = com.activityfeed.social.api.Thread.class)))
    @APIResponse(responseCode = "400", description = "a title over 120 characters, or unknown fields")
    @APIResponse(responseCode = "404", description = "unknown tile")
    public Response createThread(JsonNode body) {
        Caller caller = Caller.of(identity);
        JsonNode request = body == null || body.isNull() ? MessageCodec.mapper().createObjectNode() : body;
        PlainText.only(request, "title", "tileId");
        String title = PlainText.optional(request, "title", ChatService.MAX_TITLE);
        String tileId = PlainText.optional(request, "tileId", 64);
        SocialUpdate.Thread thread = chat.createThread(caller, title, tileId == null ? null : tiles.requireKnown(tileId));
        return Response.created(URI.create("/api/v1/chat/threads/" + thread.id())).entity(thread).build();
    }

    @PATCH
    @Path("/threads/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ThreadRename.class)))
    @APIResponse(responseCode = "200", description = "renamed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = com.activityfeed.social.api.Thread.class)))
    @APIResponse(responseCode = "400", description = "no title, or one over 120 characters")
    @APIResponse(responseCode = "404", description = "unknown thread")
    public SocialUpdate.Thread rename(@PathParam("id") String id, JsonNode body) {
        Caller caller = Caller.of(identity);
        UUID threadId = threadId(id);
        PlainText.only(body, "title");
        return chat.rename(caller, threadId, PlainText.required(body, "title", ChatService.MAX_TITLE));
    }

    @DELETE
    @Path("/threads/{id}")
    @APIResponse(responseCode = "204", description = "deleted; its messages stay, unthreaded")
    @APIResponse(responseCode = "404", description = "unknown thread")
    @APIResponse(responseCode = "409", description = "Main cannot be deleted")
    public Response deleteThread(@PathParam("id") String id) {
        chat.deleteThread(Caller.of(identity), threadId(id));
        return Response.noContent().build();
    }

    @GET
    @Path("/threads/{id}/messages")
    @APIResponse(responseCode = "200", description = "the thread's messages",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MessagePage.class)))
    @APIResponse(responseCode = "400", description = "a bad cursor or limit")
    @APIResponse(responseCode = "404", description = "unknown thread")
    public Page<SocialUpdate.Message> messages(@PathParam("id") String id, @QueryParam("cursor") String cursor,
                                               @QueryParam("limit") Integer limit) {
        Caller caller = Caller.of(identity);
        return chat.messages(caller, threadId(id), Cursor.decode(cursor), Cursor.limit(limit));
    }

    @POST
    @Path("/threads/{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MessageRequest.class)))
    @APIResponse(responseCode = "201", description = "posted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Message.class)))
    @APIResponse(responseCode = "400", description = "no body, or one that is not 1 to 2000 characters of plain text")
    @APIResponse(responseCode = "404", description = "unknown thread")
    public Response post(@PathParam("id") String id, JsonNode body) {
        Caller caller = Caller.of(identity);
        UUID threadId = threadId(id);
        return created(chat.post(caller, threadId, body(body)));
    }

    /** {@code unthreaded=true}: messages whose thread was deleted; otherwise the Main thread's messages. */
    @GET
    @Path("/messages")
    @APIResponse(responseCode = "200", description = "Main's messages, or the unthreaded ones",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MessagePage.class)))
    @APIResponse(responseCode = "400", description = "a bad cursor or limit")
    public Page<SocialUpdate.Message> mainOrUnthreaded(@QueryParam("unthreaded") boolean unthreaded,
                                                       @QueryParam("cursor") String cursor,
                                                       @QueryParam("limit") Integer limit) {
        Caller caller = Caller.of(identity);
        Cursor after = Cursor.decode(cursor);
        int size = Cursor.limit(limit);
        return unthreaded ? chat.unthreaded(caller, after, size) : chat.messages(caller, null, after, size);
    }

    @POST
    @Path("/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MessageRequest.class)))
    @APIResponse(responseCode = "201", description = "posted to Main",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Message.class)))
    @APIResponse(responseCode = "400", description = "no body, or one that is not 1 to 2000 characters of plain text")
    public Response postToMain(JsonNode body) {
        Caller caller = Caller.of(identity);
        return created(chat.post(caller, null, body(body)));
    }

    private static String body(JsonNode body) {
        PlainText.only(body, "body");
        return PlainText.required(body, "body", ChatService.MAX_BODY);
    }

    private static Response created(SocialUpdate.Message message) {
        return Response.created(URI.create("/api/v1/chat/threads/" + message.threadId() + "/messages/" + message.id()))
                .entity(message).build();
    }

    private static UUID threadId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ChatService.noThread();
        }
    }
}
