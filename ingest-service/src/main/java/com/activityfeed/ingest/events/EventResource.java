package com.activityfeed.ingest.events;

import com.activityfeed.ingest.openapi.EventRequest;
import com.activityfeed.web.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

@Path("/api/v1/events")
@Tag(name = "events", description = "Post activity events (SPEC §3)")
public class EventResource {
    static final String SINGLE_EXAMPLE = """
            {"type":"badge_earned","actor":{"id":"ada","name":"Ada"},
             "entity":{"type":"badge","id":"b1","name":"Sprint Champion"},
             "occurredAt":"2026-11-23T10:15:30Z","priority":"normal","tags":["sprint:42"],
             "payload":{"points":50},"idempotencyKey":"badge-b1-ada"}""";
    static final String BATCH_EXAMPLE = """
            {"events":[{"type":"task_completed","actor":{"id":"ada"},"idempotencyKey":"t-1"},
                       {"type":"task_completed","actor":{"id":"grace"},"idempotencyKey":"t-2"}]}""";
    static final String ACCEPTED_EXAMPLE = """
            {"events":[{"id":"0193f1c2-5b6e-7a10-8c3d-2f4e5a6b7c8d","idempotencyKey":"t-1"}]}""";

    private final EventService events;
    private final JsonBodies bodies;
    private final SecurityIdentity identity;

    public EventResource(EventService events, JsonBodies bodies, SecurityIdentity identity) {
        this.events = events;
        this.bodies = bodies;
        this.identity = identity;
    }

    @POST
    @Blocking
    @RolesAllowed({Caller.INGEST, Caller.PLATFORM})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Post one event or a batch of up to 500",
            description = "Validated all or nothing; answers 202 once Kafka acknowledged every event.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {EventRequest.class, EventRequest.Batch.class}),
            examples = {@ExampleObject(name = "single", value = SINGLE_EXAMPLE),
                    @ExampleObject(name = "batch", value = BATCH_EXAMPLE)}))
    @APIResponse(responseCode = "202", description = "accepted: ids in request order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventService.Accepted.class),
                    examples = @ExampleObject(name = "accepted", value = ACCEPTED_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "invalid: every fault as errors[{index, field, message}]",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid",
                    value = "{\"type\":\"https://activity-feed.dev/problems/400\",\"title\":\"Validation failed\",\"status\":400,"
                            + "\"detail\":\"1 field is invalid\",\"errors\":[{\"index\":1,\"field\":\"tags\",\"message\":\"at most 10 tags, was 11\"}]}")))
    @APIResponse(responseCode = "401", description = "no or bad token")
    @APIResponse(responseCode = "403", description = "wrong role, or another tenant without the platform role")
    @APIResponse(responseCode = "413", description = "body over 1 MiB")
    @APIResponse(responseCode = "415", description = "not application/json")
    @APIResponse(responseCode = "429", description = "the tenant is over its rate; see Retry-After")
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge in time; retry with the same keys after Retry-After")
    public CompletionStage<Response> post(byte[] body,
                         @Parameter(description = "idempotency key of a single event (not allowed on a batch)")
                         @HeaderParam("Idempotency-Key") String idempotencyKey,
                         @Parameter(description = "W3C trace context, passed on as a Kafka header")
                         @HeaderParam("traceparent") String traceparent) {
        // The worker thread only parses, validates and hands the records to the producer; the answer
        // is written when Kafka's acknowledgement completes the stage, with no thread waiting for it.
        long received = System.nanoTime();
        Caller caller = Caller.of(identity);
        CompletableFuture<Response> answer = new CompletableFuture<>();
        events.post(caller, bodies.read(body), idempotencyKey, traceparent, received).whenComplete((accepted, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(Response.accepted(accepted).build());
            }
        });
        return answer;
    }
}
