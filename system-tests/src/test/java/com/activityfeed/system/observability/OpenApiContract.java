package com.activityfeed.system.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One service's published OpenAPI 3.1 document as a JSON-schema validator: the schema of an
 * operation's answer (path template, method, status, media type), with its {@code $ref}s to
 * {@code #/components/schemas} resolved inside the document. OpenAPI 3.1 schemas are JSON Schema
 * 2020-12, so the document itself is the schema resource and each operation's schema is reached
 * by a JSON pointer into it.
 *
 * <p>Stricter than the description on one point: an object that declares its properties takes no
 * others, so a field the service sends but the description does not name fails just like a
 * required field that is missing.
 */
final class OpenApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final AtomicInteger DOCUMENTS = new AtomicInteger();

    private final String service;
    private final ObjectNode document;
    private final String id;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    OpenApiContract(String service, JsonNode document) {
        this.service = service;
        this.document = (ObjectNode) strict(document);
        this.id = "urn:activity-feed:openapi:" + service + ":" + DOCUMENTS.incrementAndGet();
    }

    JsonNode document() {
        return document;
    }

    /** The same description with one change, e.g. a property renamed, to show that the check bites. */
    OpenApiContract edited(java.util.function.Consumer<ObjectNode> edit) {
        ObjectNode copy = document.deepCopy();
        edit.accept(copy);
        return new OpenApiContract(service, copy);
    }

    /** What is wrong with {@code body} as the answer {@code status} of {@code method path}; empty if nothing. */
    List<String> violations(String method, String path, int status, String mediaType, String body) throws Exception {
        String pointer = "/paths/" + escape(path) + "/" + method.toLowerCase(java.util.Locale.ROOT) + "/responses/" + status
                + "/content/" + escape(mediaType) + "/schema";
        JsonNode declared = document.at(pointer);
        if (declared.isMissingNode()) {
            return List.of(service + ": no schema declared for " + method + " " + path + " " + status + " " + mediaType);
        }
        if (declared.isEmpty() || declared.equals(JSON.readTree("{\"type\":\"string\"}"))) {
            return List.of(service + ": " + method + " " + path + " " + status + " declares an untyped body " + declared);
        }
        Schema schema = schemas.computeIfAbsent(pointer, p -> {
            ObjectNode root = document.deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.put("$ref", "#" + p);
            return REGISTRY.getSchema(SchemaLocation.of(id + ":" + p.hashCode()), root);
        });
        List<String> faults = new ArrayList<>();
        for (Error e : schema.validate(JSON.readTree(body))) {
            faults.add(service + " " + method + " " + path + " " + status + ": " + e);
        }
        return faults;
    }

    /** Every 2xx JSON answer of every operation that has no real schema (none, {}, or a bare string). */
    List<String> untypedBodies() {
        List<String> untyped = new ArrayList<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            op.getValue().path("responses").properties().forEach(response -> {
                if (!response.getKey().startsWith("2")) {
                    return;
                }
                response.getValue().path("content").properties().forEach(media -> {
                    JsonNode schema = media.getValue().path("schema");
                    boolean json = media.getKey().contains("json");
                    if (json && (schema.isMissingNode() || schema.isEmpty()
                            || (schema.size() == 1 && schema.path("type").asText().equals("string")))) {
                        untyped.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey() + " "
                                + response.getKey() + " " + media.getKey() + ": " + schema);
                    }
                });
            });
            JsonNode body = op.getValue().path("requestBody").path("content").path("application/json").path("schema");
            if (!body.isMissingNode() && body.path("$ref").asText().endsWith("/JsonNode")) {
                untyped.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey() + " request body: " + body);
            }
        }));
        return untyped;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** Objects with declared properties take no others, unless the description says otherwise. */
    private static JsonNode strict(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(n -> out.add(strict(n)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = JSON.createObjectNode();
        node.properties().forEach(e -> out.set(e.getKey(), strict(e.getValue())));
        if (node.path("properties").isObject() && !node.has("additionalProperties")
                && !node.has("allOf") && !node.has("anyOf") && !node.has("oneOf")) {
            out.put("additionalProperties", false);
        }
        return out;
    }
}
