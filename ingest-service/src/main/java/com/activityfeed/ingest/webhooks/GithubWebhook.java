package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.JsonBodies;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * GitHub webhooks: {@code X-Hub-Signature-256} over the raw body, {@code X-GitHub-Event} names
 * the event, {@code X-GitHub-Delivery} is the idempotency key. push, issues, pull_request and
 * release get their own titles and entities; any other event becomes {@code github.<event>.<action>}
 * on its repository. {@code ping} (sent when a hook is created) yields no event.
 */
@ApplicationScoped
public class GithubWebhook implements WebhookSource {
    private final WebhookSettings config;
    private final JsonBodies bodies;
    private final ObjectMapper mapper;

    public GithubWebhook(WebhookSettings config, JsonBodies bodies, ObjectMapper mapper) {
        this.config = config;
        this.bodies = bodies;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "github";
    }

    @Override
    public boolean configured(String tenant) {
        return secret(tenant).isPresent();
    }

    private Optional<String> secret(String tenant) {
        return config.tenant(tenant).flatMap(WebhookSettings.Tenant::githubSecret);
    }

    @Override
    public List<ObjectNode> normalise(WebhookRequest request) {
        String expected = Signatures.sha256Header(secret(request.tenant()).orElseThrow(), request.body());
        if (!Signatures.matches(expected, request.header("X-Hub-Signature-256"))) {
            throw WebhookProblems.badSignature("X-Hub-Signature-256 does not match the body");
        }
        String event = request.header("X-GitHub-Event");
        String delivery = request.header("X-GitHub-Delivery");
        if (event == null || event.isBlank() || delivery == null || delivery.isBlank()) {
            throw ProblemException.badRequest("X-GitHub-Event and X-GitHub-Delivery are required");
        }
        JsonNode body = bodies.read(payloadOf(request));
        if (event.equals("ping")) {
            return List.of();
        }
        return List.of(normalise(event, delivery, body));
    }

    /** GitHub sends JSON, or a form with the JSON in {@code payload} when so configured. */
    private static byte[] payloadOf(WebhookRequest request) {
        if (!request.mediaType().equals("application/x-www-form-urlencoded")) {
            return request.body();
        }
        for (String pair : new String(request.body(), StandardCharsets.US_ASCII).split("&")) {
            if (pair.startsWith("payload=")) {
                return URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            }
        }
        throw ProblemException.badRequest("the form has no payload field");
    }

    ObjectNode normalise(String event, String delivery, JsonNode body) {
        ObjectNode out = mapper.createObjectNode();
        String action = Texts.text(body.get("action"));
        String login = Texts.text(body.path("sender").get("login"));
        String repo = Texts.text(body.path("repository").get("full_name"));
        out.put("source", "github");
        out.put("idempotencyKey", delivery);
        if (login != null) {
            ObjectNode actor = out.putObject("actor");
            Texts.put(actor, "id", login, 128);
            Texts.put(actor, "name", login, 200);
        }
        ObjectNode payload = out.putObject("payload");
        payload.put("event", event);
        if (action != null) {
            payload.put("action", action);
        }
        if (repo != null) {
            payload.put("repository", repo);
        }
        String who = login == null ? "someone" : login;
        switch (event) {
            case "push" -> {
                String ref = Texts.text(body.get("ref"));
                String branch = ref == null ? "?" : ref.replaceFirst("^refs/(heads|tags)/", "");
                int commits = body.path("commits").size();
                out.put("type", "github.push");
                entity(out, "repository", repo, repo);
                Texts.put(out, "title", who + " pushed " + commits + (commits == 1 ? " commit" : " commits")
                        + " to " + branch, 200);
                Texts.put(out, "description", Texts.text(body.path("head_commit").get("message")), 2000);
                payload.put("ref", ref).put("commits", commits)
                        .put("before", Texts.text(body.get("before"))).put("after", Texts.text(body.get("after")))
                        .put("compare", Texts.text(body.get("compare")));
            }
            case "issues", "pull_request" -> {
                JsonNode item = body.path(event.equals("issues") ? "issue" : "pull_request");
                boolean merged = event.equals("pull_request") && "closed".equals(action) && item.path("merged").asBoolean();
                String kind = event.equals("issues") ? "issue" : "pull request";
                String number = Texts.text(item.get("number"));
                out.put("type", Texts.type("github." + event, merged ? "merged" : action));
                entity(out, event.equals("issues") ? "issue" : "pull_request", repo + "#" + number, Texts.text(item.get("title")));
                Texts.put(out, "title", who + " " + (merged ? "merged" : action) + " " + kind + " #" + number + ": "
                        + Texts.text(item.get("title")), 200);
                payload.put("number", item.path("number").asLong()).put("url", Texts.text(item.get("html_url")));
                if (item.has("state")) {
                    payload.put("state", Texts.text(item.get("state")));
                }
            }
            case "release" -> {
                JsonNode release = body.path("release");
                String tag = Texts.text(release.get("tag_name"));
                String name = Optional.ofNullable(Texts.text(release.get("name"))).filter(n -> !n.isBlank()).orElse(tag);
                out.put("type", Texts.type("github.release", action));
                entity(out, "release", repo + "@" + tag, name);
                Texts.put(out, "title", who + " " + action + " release " + name + " of " + repo, 200);
                payload.put("tag", tag).put("url", Texts.text(release.get("html_url")))
                        .put("prerelease", release.path("prerelease").asBoolean());
            }
            default -> {
                out.put("type", Texts.type("github." + event.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_"), action));
                entity(out, "repository", repo, repo);
                Texts.put(out, "title", who + " " + event.replace('_', ' ') + (action == null ? "" : " " + action)
                        + (repo == null ? "" : " on " + repo), 200);
            }
        }
        return out;
    }

    private static void entity(ObjectNode out, String type, String id, String name) {
        if (id == null || id.startsWith("null")) {
            return;
        }
        ObjectNode entity = out.putObject("entity");
        entity.put("type", type);
        Texts.put(entity, "id", id, 128);
        Texts.put(entity, "name", name, 200);
    }
}
