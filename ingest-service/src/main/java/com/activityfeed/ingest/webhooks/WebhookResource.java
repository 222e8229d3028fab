package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.EventService;
import com.activityfeed.ingest.openapi.NormalisedEvents;
import com.activityfeed.messages.RawEvent;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

@Path("/api/v1/webhooks/{source}/{tenant}")
@Tag(name = "webhooks", description = "Events from GitHub, HubSpot, CloudEvents, Salesforce and generic JSON webhooks")
public class WebhookResource {
    private final WebhookService webhooks;
    private final SecurityIdentity identity;

    public WebhookResource(WebhookService webhooks, SecurityIdentity identity) {
        this.webhooks = webhooks;
        this.identity = identity;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_XML})
    @Operation(summary = "Receive a webhook",
            description = "github: X-Hub-Signature-256, X-GitHub-Event, X-GitHub-Delivery (the idempotency key); JSON or form-encoded, up to 25 MiB. "
                    + "hubspot: X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp. "
                    + "cloudevents: Authorization Bearer JWT (ingest for its tenant, or platform); structured, batch or binary mode; source + id is the identity (the key is derived from both). "
                    + "salesforce: Outbound Messaging SOAP from the configured organisation; answered with the SOAP Ack. "
                    + "generic: X-Signature-256 (sha256=hex HMAC of the body), mapped by configured JSON pointers. "
                    + "Unknown source or tenant 404, bad signature 401.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
                    examples = @ExampleObject(name = "github issues", value = """
                            {"action":"opened","issue":{"number":7,"title":"Crash on start","html_url":"https://github.com/acme/app/issues/7","state":"open"},
                             "repository":{"full_name":"acme/app"},"sender":{"login":"octocat"}}""")),
            @Content(mediaType = "application/cloudevents+json", schema = @Schema(type = SchemaType.OBJECT),
                    examples = @ExampleObject(name = "cloudevent", value = """
                            {"specversion":"1.0","id":"A234-1234-1234","source":"/orders","type":"order.shipped",
                             "time":"2026-11-23T10:00:00Z","subject":"order-42","data":{"carrier":"UPS"}}"""))})
    @APIResponse(responseCode = "202", description = "published: ids in order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventService.Accepted.class),
                    examples = @ExampleObject(name = "accepted",
                    value = "{\"events\":[{\"id\":\"5b0e4f0c-3d6a-5b8e-9c1d-7a2e3f4b5c6d\",\"idempotencyKey\":\"72d3162e-cc78-11e3-81ab-4c9367dc0958\"}]}")))
    @APIResponse(responseCode = "200", description = "dry run: the normalised events, nothing published; or the Salesforce SOAP acknowledgement",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NormalisedEvents.class),
                    examples = @ExampleObject(name = "dry run",
                    value = "{\"events\":[{\"v\":1,\"id\":\"5b0e4f0c-3d6a-5b8e-9c1d-7a2e3f4b5c6d\",\"tenantId\":\"acme\",\"type\":\"github.issues.opened\","
                            + "\"occurredAt\":\"2026-11-23T10:00:00Z\","
                            + "\"title\":\"octocat opened issue #7: Crash on start\",\"source\":\"github\",\"priority\":\"normal\",\"tags\":[]}]}")),
                    @Content(mediaType = MediaType.TEXT_XML, schema = @Schema(type = SchemaType.STRING),
                            examples = @ExampleObject(name = "salesforce ack", value = SalesforceWebhook.ACK))})
    @APIResponse(responseCode = "400", description = "unreadable body or events that break the event rules")
    @APIResponse(responseCode = "401", description = "bad or missing signature, wrong Salesforce organisation, or no token (cloudevents)")
    @APIResponse(responseCode = "404", description = "unknown source, or the source is not configured for the tenant")
    @APIResponse(responseCode = "413", description = "body over 25 MiB")
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge in time; the sender retries")
    public Response receive(@PathParam("source") String source, @PathParam("tenant") String tenant,
                            @Parameter(description = "true: answer the normalised events, publish nothing")
                            @QueryParam("dryRun") String dryRun,
                            @HeaderParam("traceparent") String traceparent,
                            @Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        boolean dry = parseDryRun(dryRun);
        WebhookSource hook = webhooks.source(source, tenant);
        if (hook instanceof CloudEventsWebhook) {
            authorise(tenant);
        }
        WebhookRequest request = new WebhookRequest(tenant, "POST", uri.getRequestUri(), headers.getRequestHeaders(),
                headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body == null ? new byte[0] : body);
        List<RawEvent> events = webhooks.normalise(hook, request);
        if (dry) {
            return Response.ok(Map.of("events", events), MediaType.APPLICATION_JSON_TYPE).build();
        }
        var accepted = webhooks.publish(events, traceparent);
        if (hook instanceof SalesforceWebhook) {
            return Response.ok(SalesforceWebhook.ACK, MediaType.TEXT_XML_TYPE.withCharset("UTF-8")).build();
        }
        return Response.accepted(accepted).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** CloudEvents carry a JWT: ingest for its own tenant, platform for any. */
    private void authorise(String tenant) {
        Caller caller = Caller.of(identity);
        if (!caller.hasRole(Caller.INGEST) && !caller.hasRole(Caller.PLATFORM)) {
            throw new ForbiddenException();
        }
        if (!caller.hasRole(Caller.PLATFORM) && !caller.tenant().equals(tenant)) {
            throw ProblemException.forbidden("only the platform role may post events for another tenant");
        }
    }

    private static boolean parseDryRun(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.isEmpty() || value.equals("true")) {
            return true;
        }
        throw ProblemException.badRequest("dryRun must be true or false");
    }
}
