package com.activityfeed.feed.erasure;

import com.activityfeed.web.Caller;
import com.activityfeed.web.Problem;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Erasure (SPEC §6a): an admin erases a person of their own tenant, the platform role a person of
 * any tenant or a whole tenant. Answers 202 at once; the services do their parts from
 * {@code erasure.requests} and the record shows their progress. Another tenant's record is a 404.
 */
@Path("/api/v1/feed/admin")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ErasureResource {
    static final int MAX_ID = 128;

    private final ErasureService erasures;
    private final SecurityIdentity identity;

    public ErasureResource(ErasureService erasures, SecurityIdentity identity) {
        this.erasures = erasures;
        this.identity = identity;
    }

    @Schema(name = "ErasureAccepted")
    public record Accepted(@Schema(required = true) UUID id,
                           @Schema(required = true, enumeration = {"pending", "done"}) String status) {
    }

    /** The body of an erasure request, for the API description (the body is read strictly as a tree). */
    @Schema(name = "ErasureRequest", additionalProperties = Schema.False.class)
    public record Request(@Schema(required = true, minLength = 1, maxLength = MAX_ID) String userId,
                          @Schema(minLength = 1, maxLength = MAX_ID, description = "another tenant: role platform only")
                          String tenantId) {
    }

    /** The erasure record: who asked, when, and each service's progress; never what was erased. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "ErasureStatus")
    public record Status(@Schema(required = true) UUID id, @Schema(required = true) String tenantId,
                         @Schema(required = true, enumeration = {"user", "tenant"}) String scope,
                         @Schema(required = true, nullable = true, description = "null for a whole tenant") String userId,
                         @Schema(required = true) String requestedBy, @Schema(required = true) Instant requestedAt,
                         @Schema(required = true, enumeration = {"pending", "done"}) String status,
                         @Schema(required = true, description = "feed and social: pending or done") Map<String, String> services,
                         @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
                         Instant completedAt) {
        static Status of(ErasureRecord r) {
            return new Status(r.id, r.tenantId, r.scope, r.userId, r.requestedBy, r.requestedAt,
                    r.done() ? "done" : "pending",
                    Map.of("feed", r.feedDoneAt != null ? "done" : "pending",
                            "social", r.socialDoneAt != null ? "done" : "pending"),
                    r.completedAt);
        }
    }

    @POST
    @Path("/erasures")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.ADMIN, Caller.PLATFORM})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Request.class)))
    @APIResponse(responseCode = "202", description = "requested; follow it with GET /erasures/{id}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "400", description = "no or bad userId or tenantId")
    public Response erase(JsonNode body) {
        Caller caller = Caller.of(identity);
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object {userId}");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String userId = text(body, "userId", true, errors);
        String tenantId = text(body, "tenantId", false, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        String tenant = caller.tenant();
        if (tenantId != null && !tenantId.equals(caller.tenant())) {
            if (!caller.hasRole(Caller.PLATFORM)) {
                throw ProblemException.forbidden("an admin erases users of their own tenant only");
            }
            tenant = tenantId;
        }
        ErasureRecord r = erasures.request(tenant, userId, caller.userId());
        return Response.accepted(new Accepted(r.id, "pending")).build();
    }

    @GET
    @Path("/erasures/{id}")
    @RolesAllowed({Caller.ADMIN, Caller.PLATFORM})
    public Status get(@PathParam("id") String id) {
        Caller caller = Caller.of(identity);
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no erasure " + id);
        }
        return erasures.find(uuid)
                .filter(r -> caller.hasRole(Caller.PLATFORM) || r.tenantId.equals(caller.tenant()))
                .map(Status::of)
                .orElseThrow(() -> ProblemException.notFound("no erasure " + id));
    }

    /** Erases a whole tenant from every service (role platform). */
    @DELETE
    @Path("/tenants/{id}")
    @RolesAllowed(Caller.PLATFORM)
    @APIResponse(responseCode = "202", description = "requested: the erasure record",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Status.class)))
    @APIResponse(responseCode = "400", description = "a tenant id of more than 128 characters")
    public Response eraseTenant(@PathParam("id") String tenantId) {
        Caller caller = Caller.of(identity);
        if (tenantId.isBlank() || tenantId.length() > MAX_ID) {
            throw ProblemException.validation(List.of(new Problem.FieldError(null, "id",
                    "a tenant id of 1 to " + MAX_ID + " characters")));
        }
        ErasureRecord r = erasures.request(tenantId, null, caller.userId());
        return Response.accepted(Status.of(r)).build();
    }

    private static String text(JsonNode body, String field, boolean required, List<Problem.FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new Problem.FieldError(null, field, "required"));
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_ID) {
            errors.add(new Problem.FieldError(null, field, "a string of 1 to " + MAX_ID + " characters"));
            return null;
        }
        return v.asText();
    }
}
