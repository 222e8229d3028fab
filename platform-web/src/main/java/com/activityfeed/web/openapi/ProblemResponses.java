package com.activityfeed.web.openapi;

import com.activityfeed.web.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.List;
import java.util.Map;

/**
 * Every service's API description says what its errors look like (SPEC §7): a {@code Problem}
 * schema (RFC 9457), and every 4xx/5xx answer of every operation, the 401 and 403 that Quarkus
 * adds for secured operations included, as {@code application/problem+json} of that schema.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BOTH)
public class ProblemResponses implements OASFilter {
    static final String SCHEMA = "Problem";
    static final String REF = "#/components/schemas/" + SCHEMA;

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(SCHEMA, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(item -> {
            if (item.getOperations() != null) {
                item.getOperations().values().forEach(ProblemResponses::describeErrors);
            }
        });
    }

    private static void describeErrors(Operation operation) {
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return;
        }
        for (Map.Entry<String, APIResponse> entry : operation.getResponses().getAPIResponses().entrySet()) {
            String code = entry.getKey();
            if (!(code.startsWith("4") || code.startsWith("5"))) {
                continue;
            }
            APIResponse response = entry.getValue();
            if (response.getRef() != null) {
                continue;
            }
            if (response.getDescription() == null || response.getDescription().isBlank()) {
                response.setDescription(defaultDescription(code));
            }
            Content content = response.getContent();
            if (content == null) {
                content = OASFactory.createContent();
                response.setContent(content);
            }
            MediaType problem = content.getMediaType(Problem.MEDIA_TYPE);
            if (problem == null) {
                // an error answered as application/json in the description is problem+json on the wire
                MediaType json = content.getMediaType("application/json");
                problem = json != null ? json : OASFactory.createMediaType();
                content.removeMediaType("application/json");
                content.addMediaType(Problem.MEDIA_TYPE, problem);
            }
            if (problem.getSchema() == null) {
                problem.setSchema(OASFactory.createSchema().ref(REF));
            }
        }
    }

    private static String defaultDescription(String code) {
        return switch (code) {
            case "401" -> "no, bad or expired token";
            case "403" -> "the token's roles do not allow this";
            case "404" -> "not found (or another tenant's)";
            default -> "error";
        };
    }

    private static Schema problemSchema() {
        Schema fieldError = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("index", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))
                        .description("the event's position in the request (0 for a single event)"))
                .addProperty("field", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("message", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .required(List.of("field", "message"));
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("An RFC 9457 problem document")
                .addProperty("type", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).format("uri"))
                .addProperty("title", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("errors", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)).items(fieldError)
                        .description("validation faults, one per field"))
                .required(List.of("type", "title", "status"));
    }
}
