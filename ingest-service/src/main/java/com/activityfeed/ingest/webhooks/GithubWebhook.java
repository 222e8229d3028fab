package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.JsonBodies;
import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * GitHub webhooks: {@code X-Hub-Signature-256} over the raw body, {@code X-GitHub-Event} names
 * the event, {@code X-GitHub-Delivery} is the idempotency key. The type is
 * {@code github.<event>.<action>} ({@code github.push}, {@code github.create}, {@code github.delete}
 * and {@code github.pull_request.merged} aside). The common events get titles that say who did
 * what to which thing with its outcome ("octocat's workflow CI failed on main"), their issue, pull
 * request, workflow, check, release, environment or discussion as entity; any other event reads
 * "who event action in repo" on its repository. {@code ping} (sent when a hook is created) yields
 * no event. JSON and form-encoded ({@code payload=}) deliveries are both accepted.
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
    static byte[] payloadOf(WebhookRequest request) {
        if (!request.mediaType().equals("application/x-www-form-urlencoded")) {
            return request.body();
        }
        byte[] body = request.body();
        int start = 0;
        while (start <= body.length) {
            int end = start;
            while (end < body.length && body[end] != '&') {
                end++;
            }
            if (end - start >= 8 && new String(body, start, 8, StandardCharsets.US_ASCII).equals("payload=")) {
                return formDecode(body, start + 8, end, true);
            }
            start = end + 1;
        }
        throw ProblemException.badRequest("the form has no payload field");
    }

    /**
     * Decodes one form value to its bytes ({@code +} is a space, {@code %XX} a byte), leaving
     * their UTF-8 to the strict JSON reader: a decoder to text would replace invalid sequences.
     */
    /** Percent-decodes ({@code +} stays), or null when an escape is malformed. */
    static byte[] formDecodeStrict(byte[] raw) {
        try {
            return formDecode(raw, 0, raw.length, false);
        } catch (ProblemException e) {
            return null;
        }
    }

    static byte[] formDecode(byte[] body, int from, int to, boolean plusIsSpace) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+' && plusIsSpace) {
                out.write(' ');
            } else if (b == '%') {
                int high = i + 2 < to ? Character.digit(body[i + 1], 16) : -1;
                int low = i + 2 < to ? Character.digit(body[i + 2], 16) : -1;
                if (high < 0 || low < 0) {
                    throw ProblemException.badRequest("the form's payload has a malformed percent-encoding at byte " + i);
                }
                out.write(high * 16 + low);
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
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
        out.put("type", Texts.type("github." + event.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_"), action));
        entity(out, "repository", repo, repo);
        String who = login == null ? "someone" : login;
        String in = repo == null ? "" : " in " + repo;
        String title = switch (event) {
            case "push" -> push(body, out, payload, who, repo);
            case "create", "delete" -> {
                String refType = Objects.toString(Texts.text(body.get("ref_type")), "ref");
                String ref = Texts.text(body.get("ref"));
                out.put("type", "github." + event);
                payload.put("refType", refType).put("ref", ref);
                yield who + (event.equals("create") ? " created " : " deleted ") + refType + " " + ref + in;
            }
            case "pull_request" -> pullRequest(body, action, out, payload, who, repo);
            case "pull_request_review" -> {
                JsonNode pr = body.path("pull_request");
                String state = Texts.text(body.path("review").get("state"));
                thing(out, payload, "pull_request", repo, pr);
                payload.put("reviewState", state).put("url", Texts.text(body.path("review").get("html_url")));
                Texts.put(out, "description", Texts.text(body.path("review").get("body")), 2000);
                String verb = "dismissed".equals(action) ? "dismissed a review on"
                        : switch (Objects.toString(state, "").toLowerCase(java.util.Locale.ROOT)) {
                    case "approved" -> "approved";
                    case "changes_requested" -> "requested changes on";
                    case "commented" -> "commented on";
                    default -> "reviewed";
                };
                yield who + " " + verb + " pull request " + ref(pr);
            }
            case "pull_request_review_comment" -> {
                JsonNode pr = body.path("pull_request");
                thing(out, payload, "pull_request", repo, pr);
                comment(out, payload, body);
                yield who + " " + commentVerb(action) + " pull request " + ref(pr);
            }
            case "issues" -> issue(body, action, out, payload, who, repo);
            case "issue_comment" -> {
                JsonNode issue = body.path("issue");
                boolean onPr = issue.has("pull_request");
                thing(out, payload, onPr ? "pull_request" : "issue", repo, issue);
                comment(out, payload, body);
                yield who + " " + commentVerb(action) + (onPr ? " pull request " : " issue ") + ref(issue);
            }
            case "workflow_run" -> {
                JsonNode run = body.path("workflow_run");
                // GitHub's examples (and runs of unnamed workflows) leave the run's name empty.
                String name = Stream.of(Texts.text(run.get("name")), Texts.text(body.path("workflow").get("name")),
                                Texts.text(run.get("path")), "a workflow")
                        .filter(n -> n != null && !n.isBlank()).findFirst().orElseThrow();
                String branch = Texts.text(run.get("head_branch"));
                String conclusion = Texts.text(run.get("conclusion"));
                String runner = Objects.toString(Texts.text(run.path("actor").get("login")), who);
                entity(out, "workflow", repo + "/" + Objects.toString(Texts.text(run.get("path")), name), name);
                payload.put("workflow", name).put("branch", branch).put("status", Texts.text(run.get("status")))
                        .put("conclusion", conclusion).put("runNumber", run.path("run_number").asLong())
                        .put("url", Texts.text(run.get("html_url")));
                Texts.put(out, "description", Texts.text(run.get("display_title")), 2000);
                outcomePriority(out, conclusion);
                String on = branch == null ? "" : " on " + branch;
                yield "completed".equals(action)
                        ? runner + "'s workflow " + name + " " + outcome(conclusion) + on
                        : runner + "'s workflow " + name + " " + progress(action) + on;
            }
            case "workflow_job" -> {
                JsonNode job = body.path("workflow_job");
                String name = Objects.toString(Texts.text(job.get("name")), "a job");
                String workflow = Texts.text(job.get("workflow_name"));
                String branch = Texts.text(job.get("head_branch"));
                String conclusion = Texts.text(job.get("conclusion"));
                entity(out, "workflow", repo + "/" + Objects.toString(workflow, name), Objects.toString(workflow, name));
                payload.put("job", name).put("workflow", workflow).put("branch", branch)
                        .put("status", Texts.text(job.get("status"))).put("conclusion", conclusion)
                        .put("runner", Texts.text(job.get("runner_name"))).put("url", Texts.text(job.get("html_url")));
                outcomePriority(out, conclusion);
                String what = "job " + name + (workflow == null ? "" : " of workflow " + workflow);
                String on = branch == null ? "" : " on " + branch;
                yield "completed".equals(action) ? who + "'s " + what + " " + outcome(conclusion) + on
                        : who + "'s " + what + " " + progress(action) + on;
            }
            case "check_run" -> {
                JsonNode check = body.path("check_run");
                String name = Objects.toString(Texts.text(check.get("name")), "a check");
                String branch = Texts.text(check.path("check_suite").get("head_branch"));
                String conclusion = Texts.text(check.get("conclusion"));
                entity(out, "check", repo + "/" + name, name);
                payload.put("check", name).put("branch", branch).put("status", Texts.text(check.get("status")))
                        .put("conclusion", conclusion).put("url", Texts.text(check.get("html_url")));
                outcomePriority(out, conclusion);
                String on = branch == null ? "" : " on " + branch;
                yield switch (Objects.toString(action, "")) {
                    case "completed" -> "Check " + name + " " + outcome(conclusion) + on + (repo == null ? "" : " in " + repo);
                    case "rerequested" -> who + " re-ran check " + name + on;
                    case "requested_action" -> who + " requested " + Objects.toString(
                            Texts.text(body.path("requested_action").get("identifier")), "an action") + " on check " + name;
                    default -> "Check " + name + " " + progress(action) + on;
                };
            }
            case "check_suite" -> {
                JsonNode suite = body.path("check_suite");
                String app = Objects.toString(Texts.text(suite.path("app").get("name")), "checks");
                String branch = Texts.text(suite.get("head_branch"));
                String conclusion = Texts.text(suite.get("conclusion"));
                entity(out, "check", repo + "/" + app, app);
                payload.put("app", app).put("branch", branch).put("status", Texts.text(suite.get("status")))
                        .put("conclusion", conclusion).put("headSha", Texts.text(suite.get("head_sha")));
                outcomePriority(out, conclusion);
                String on = branch == null ? "" : " on " + branch;
                yield switch (Objects.toString(action, "")) {
                    case "completed" -> "Check suite " + app + " " + outcome(conclusion) + on;
                    case "rerequested" -> who + " re-ran check suite " + app + on;
                    default -> "Check suite " + app + " " + progress(action) + on;
                };
            }
            case "release" -> {
                JsonNode release = body.path("release");
                String tag = Texts.text(release.get("tag_name"));
                String name = Optional.ofNullable(Texts.text(release.get("name"))).filter(n -> !n.isBlank()).orElse(tag);
                boolean pre = release.path("prerelease").asBoolean();
                entity(out, "release", repo + "@" + tag, name);
                payload.put("tag", tag).put("url", Texts.text(release.get("html_url"))).put("prerelease", pre);
                Texts.put(out, "description", Texts.text(release.get("body")), 2000);
                String verb = switch (Objects.toString(action, "updated")) {
                    case "prereleased" -> "published";
                    default -> Objects.toString(action, "updated");
                };
                yield who + " " + verb + (pre ? " pre-release " : " release ") + name
                        + (repo == null ? "" : " of " + repo);
            }
            case "fork" -> {
                String fork = Texts.text(body.path("forkee").get("full_name"));
                payload.put("fork", fork).put("url", Texts.text(body.path("forkee").get("html_url")));
                yield who + " forked " + repo + (fork == null ? "" : " to " + fork);
            }
            case "star" -> who + ("deleted".equals(action) ? " unstarred " : " starred ") + repo;
            case "watch" -> who + " started watching " + repo;
            case "public" -> who + " made " + repo + " public";
            case "member" -> {
                String member = Texts.text(body.path("member").get("login"));
                payload.put("member", member);
                yield who + " " + switch (Objects.toString(action, "")) {
                    case "added" -> "added " + member + " to " + repo;
                    case "removed" -> "removed " + member + " from " + repo;
                    default -> "changed " + member + "'s access to " + repo;
                };
            }
            case "deployment" -> {
                JsonNode deployment = body.path("deployment");
                String environment = Texts.text(deployment.get("environment"));
                String ref = Texts.text(deployment.get("ref"));
                entity(out, "environment", repo + "/" + environment, environment);
                payload.put("environment", environment).put("ref", ref).put("sha", Texts.text(deployment.get("sha")));
                Texts.put(out, "description", Texts.text(deployment.get("description")), 2000);
                yield who + " deployed " + ref + " to " + environment;
            }
            case "deployment_status" -> {
                JsonNode status = body.path("deployment_status");
                JsonNode deployment = body.path("deployment");
                String environment = Objects.toString(Texts.text(status.get("environment")), Texts.text(deployment.get("environment")));
                String ref = Texts.text(deployment.get("ref"));
                String state = Texts.text(status.get("state"));
                entity(out, "environment", repo + "/" + environment, environment);
                payload.put("environment", environment).put("ref", ref).put("state", state)
                        .put("url", Texts.text(status.get("target_url")));
                Texts.put(out, "description", Texts.text(status.get("description")), 2000);
                outcomePriority(out, state);
                yield "Deployment of " + ref + " to " + environment + " " + outcome(state);
            }
            case "discussion" -> {
                JsonNode discussion = body.path("discussion");
                thing(out, payload, "discussion", repo, discussion);
                Texts.put(out, "description", Texts.text(discussion.get("body")), 2000);
                yield who + " " + switch (Objects.toString(action, "")) {
                    case "created" -> "started discussion ";
                    case "answered" -> "marked an answer in discussion ";
                    case "labeled" -> "added label " + label(body) + " to discussion ";
                    case "unlabeled" -> "removed label " + label(body) + " from discussion ";
                    case "category_changed" -> "changed the category of discussion ";
                    default -> Objects.toString(action, "updated").replace('_', ' ') + " discussion ";
                } + ref(discussion);
            }
            case "discussion_comment" -> {
                JsonNode discussion = body.path("discussion");
                thing(out, payload, "discussion", repo, discussion);
                comment(out, payload, body);
                yield who + " " + commentVerb(action) + " discussion " + ref(discussion);
            }
            case "status" -> {
                String context = Texts.text(body.get("context"));
                String state = Texts.text(body.get("state"));
                String sha = Texts.text(body.get("sha"));
                payload.put("context", context).put("state", state).put("sha", sha).put("url", Texts.text(body.get("target_url")));
                outcomePriority(out, state);
                yield "Status " + context + " " + outcome(state) + " for " + (sha == null ? "a commit" : sha.substring(0, Math.min(7, sha.length()))) + in;
            }
            case "gollum" -> {
                JsonNode pages = body.path("pages");
                JsonNode page = pages.path(0);
                payload.put("pages", pages.size()).put("url", Texts.text(page.get("html_url")));
                yield who + " " + Objects.toString(Texts.text(page.get("action")), "edited") + " wiki page "
                        + Objects.toString(Texts.text(page.get("title")), "?")
                        + (pages.size() > 1 ? " and " + (pages.size() - 1) + " more" : "") + in;
            }
            default -> who + " " + event.replace('_', ' ') + (action == null ? "" : " " + action.replace('_', ' ')) + in;
        };
        Texts.put(out, "title", title, 200);
        return out;
    }

    private String push(JsonNode body, ObjectNode out, ObjectNode payload, String who, String repo) {
        String ref = Objects.toString(Texts.text(body.get("ref")), "");
        boolean tag = ref.startsWith("refs/tags/");
        String name = ref.replaceFirst("^refs/(heads|tags)/", "");
        int commits = body.path("commits").size();
        boolean created = body.path("created").asBoolean();
        boolean deleted = body.path("deleted").asBoolean();
        out.put("type", "github.push");
        payload.put("ref", ref).put("commits", commits).put("created", created).put("deleted", deleted)
                .put("before", Texts.text(body.get("before"))).put("after", Texts.text(body.get("after")))
                .put("compare", Texts.text(body.get("compare")));
        String in = repo == null ? "" : " in " + repo;
        if (deleted) {
            return who + " deleted " + (tag ? "tag " : "branch ") + name + in;
        }
        Texts.put(out, "description", Texts.text(body.path("head_commit").get("message")), 2000);
        if (tag) {
            return who + " pushed tag " + name + (repo == null ? "" : " to " + repo);
        }
        String count = commits + (commits == 1 ? " commit" : " commits");
        if (created) {
            return who + " created branch " + name + in + (commits > 0 ? " with " + count : "");
        }
        return who + " pushed " + count + " to " + name + in;
    }

    private String pullRequest(JsonNode body, String action, ObjectNode out, ObjectNode payload, String who, String repo) {
        JsonNode pr = body.path("pull_request");
        boolean merged = "closed".equals(action) && pr.path("merged").asBoolean();
        if (merged) {
            out.put("type", "github.pull_request.merged");
        }
        thing(out, payload, "pull_request", repo, pr);
        payload.put("merged", pr.path("merged").asBoolean()).put("draft", pr.path("draft").asBoolean())
                .put("base", Texts.text(pr.path("base").get("ref"))).put("head", Texts.text(pr.path("head").get("ref")));
        if ("opened".equals(action)) {
            Texts.put(out, "description", Texts.text(pr.get("body")), 2000);
        }
        String it = "pull request " + ref(pr);
        String base = Texts.text(pr.path("base").get("ref"));
        return who + " " + switch (Objects.toString(action, "")) {
            case "closed" -> merged ? "merged " + it + (base == null ? "" : " into " + base) : "closed " + it + " without merging";
            case "synchronize" -> "pushed to " + it;
            case "review_requested" -> "requested a review from " + Objects.toString(
                    Texts.text(body.path("requested_reviewer").get("login")),
                    Objects.toString(Texts.text(body.path("requested_team").get("name")), "someone")) + " on " + it;
            case "review_request_removed" -> "withdrew the review request on " + it;
            case "assigned" -> "assigned " + Texts.text(body.path("assignee").get("login")) + " to " + it;
            case "unassigned" -> "unassigned " + Texts.text(body.path("assignee").get("login")) + " from " + it;
            case "labeled" -> "added label " + label(body) + " to " + it;
            case "unlabeled" -> "removed label " + label(body) + " from " + it;
            case "ready_for_review" -> "marked " + it + " ready for review";
            case "converted_to_draft" -> "turned " + it + " into a draft";
            default -> Objects.toString(action, "updated").replace('_', ' ') + " " + it;
        };
    }

    private String issue(JsonNode body, String action, ObjectNode out, ObjectNode payload, String who, String repo) {
        JsonNode issue = body.path("issue");
        thing(out, payload, "issue", repo, issue);
        if ("opened".equals(action)) {
            Texts.put(out, "description", Texts.text(issue.get("body")), 2000);
        }
        String reason = Texts.text(issue.get("state_reason"));
        if (reason != null) {
            payload.put("stateReason", reason);
        }
        String it = "issue " + ref(issue);
        return who + " " + switch (Objects.toString(action, "")) {
            case "closed" -> "closed " + it + ("not_planned".equals(reason) ? " as not planned" : " as completed");
            case "labeled" -> "added label " + label(body) + " to " + it;
            case "unlabeled" -> "removed label " + label(body) + " from " + it;
            case "assigned" -> "assigned " + Texts.text(body.path("assignee").get("login")) + " to " + it;
            case "unassigned" -> "unassigned " + Texts.text(body.path("assignee").get("login")) + " from " + it;
            case "milestoned" -> "added " + it + " to milestone " + Texts.text(body.path("milestone").get("title"));
            case "demilestoned" -> "removed " + it + " from milestone " + Texts.text(body.path("milestone").get("title"));
            case "transferred" -> "transferred " + it + " to " + Texts.text(body.path("changes").path("new_repository").get("full_name"));
            default -> Objects.toString(action, "updated").replace('_', ' ') + " " + it;
        };
    }

    /** The issue, pull request or discussion as the event's entity, with its number, title and link. */
    private static void thing(ObjectNode out, ObjectNode payload, String type, String repo, JsonNode item) {
        String number = Texts.text(item.get("number"));
        entity(out, type, repo + "#" + number, Texts.text(item.get("title")));
        payload.put("number", item.path("number").asLong()).put("title", Texts.text(item.get("title")))
                .put("url", Texts.text(item.get("html_url")));
        if (item.has("state")) {
            payload.put("state", Texts.text(item.get("state")));
        }
    }

    private static void comment(ObjectNode out, ObjectNode payload, JsonNode body) {
        JsonNode comment = body.path("comment");
        Texts.put(out, "description", Texts.text(comment.get("body")), 2000);
        payload.put("commentUrl", Texts.text(comment.get("html_url")));
    }

    private static String commentVerb(String action) {
        return switch (Objects.toString(action, "")) {
            case "edited" -> "edited a comment on";
            case "deleted" -> "deleted a comment on";
            default -> "commented on";
        };
    }

    /** "#7: Crash on start" */
    private static String ref(JsonNode item) {
        String title = Texts.text(item.get("title"));
        return "#" + Texts.text(item.get("number")) + (title == null ? "" : ": " + title);
    }

    private static String label(JsonNode body) {
        return Objects.toString(Texts.text(body.path("label").get("name")), "?");
    }

    /** A conclusion or state as it reads in a sentence: "succeeded", "failed", "timed out"… */
    static String outcome(String conclusion) {
        if (conclusion == null) {
            return "finished";
        }
        return switch (conclusion.toLowerCase(java.util.Locale.ROOT)) {
            case "success" -> "succeeded";
            case "failure", "failed" -> "failed";
            case "error" -> "errored";
            case "cancelled" -> "was cancelled";
            case "timed_out" -> "timed out";
            case "skipped" -> "was skipped";
            case "neutral" -> "finished neutral";
            case "action_required" -> "needs action";
            case "stale" -> "went stale";
            case "startup_failure" -> "failed to start";
            case "pending", "queued" -> "is pending";
            case "in_progress" -> "is in progress";
            case "inactive" -> "is inactive";
            default -> conclusion.replace('_', ' ');
        };
    }

    private static String progress(String action) {
        return switch (Objects.toString(action, "")) {
            case "requested", "created" -> "started";
            case "in_progress" -> "is running";
            case "queued" -> "is queued";
            case "waiting" -> "is waiting";
            default -> Objects.toString(action, "updated").replace('_', ' ');
        };
    }

    /** A failed build or deployment matters more than a passing one. */
    private static void outcomePriority(ObjectNode out, String conclusion) {
        if (conclusion != null && Set.of("failure", "failed", "error", "timed_out", "startup_failure")
                .contains(conclusion.toLowerCase(java.util.Locale.ROOT))) {
            out.put("priority", "high");
        }
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
