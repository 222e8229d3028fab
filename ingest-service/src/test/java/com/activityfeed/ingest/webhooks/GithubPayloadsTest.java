package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.EventValidator;
import com.activityfeed.ingest.events.JsonBodies;
import com.activityfeed.web.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every GitHub delivery of the events we title (the project's own fixtures, shaped as GitHub
 * documents its webhook payloads, under test resources webhooks/github/EVENT/) normalises to a
 * valid event whose title says who did what to which thing, with its outcome.
 */
class GithubPayloadsTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final GithubWebhook github = new GithubWebhook(null, new JsonBodies(MAPPER), MAPPER);

    static JsonNode example(String path) {
        try (InputStream in = GithubPayloadsTest.class.getResourceAsStream("/webhooks/github/" + path)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Normalises as the service does: fitted to the event rules, then validated. */
    static ObjectNode valid(ObjectNode event) {
        List<JsonNode> fitted = WebhookService.fit(List.of(event), NOW, Duration.ofMinutes(5), Duration.ofDays(30));
        List<Problem.FieldError> errors = new ArrayList<>();
        new EventValidator(Duration.ofMinutes(5), Duration.ofDays(30)).validate(fitted.getFirst(), 0, NOW, errors);
        assertThat(errors).as("validation of %s", event).isEmpty();
        return (ObjectNode) fitted.getFirst();
    }

    private String title(String path) {
        String event = path.substring(0, path.indexOf('/'));
        return valid(github.normalise(event, "d-" + path, example(path))).get("title").asText();
    }

    private static final String REPO = "northwind/orders-api";
    private static final String PR = "pull request #42: Export invoices as CSV";
    private static final String ISSUE = "issue #57: Totals are off by one cent on invoices with three or more lines";
    private static final String DISCUSSION = "discussion #61: Which currencies should the CSV export support?";

    @Test
    void everyExamplePayloadNormalisesToAValidEventWithATitle() throws IOException, URISyntaxException {
        Path root = Path.of(GithubPayloadsTest.class.getResource("/webhooks/github").toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(100);
        assertThat(files.stream().map(f -> root.relativize(f).getName(0).toString()).distinct()).contains(
                "push", "create", "delete", "pull_request", "pull_request_review", "pull_request_review_comment", "issues",
                "issue_comment", "workflow_run", "workflow_job", "check_run", "check_suite", "release", "fork", "star",
                "watch", "member", "public", "deployment", "deployment_status", "discussion", "discussion_comment",
                "status", "gollum");
        for (Path file : files) {
            String path = root.relativize(file).toString().replace('\\', '/');
            String title = title(path);
            assertThat(title).as(path).isNotBlank().doesNotContain("null").doesNotContain("Github");
        }
    }

    @Test
    void titlesSayWhoDidWhatToWhichThingWithItsOutcome() {
        assertThat(title("push/tag-deleted.json")).isEqualTo("ada-l deleted tag v1.4.0 in " + REPO);
        assertThat(title("push/branch-deleted.json")).isEqualTo("ada-l deleted branch feature/invoice-export in " + REPO);
        assertThat(title("push/tag-pushed.json")).isEqualTo("ada-l pushed tag v1.4.0 to " + REPO);
        assertThat(title("push/branch-created.json"))
                .isEqualTo("grace-h created branch feature/invoice-export in " + REPO + " with 1 commit");
        assertThat(title("push/branch-pushed.json")).isEqualTo("grace-h pushed 2 commits to main in " + REPO);
        assertThat(title("pull_request/opened.json")).isEqualTo("grace-h opened " + PR);
        assertThat(title("pull_request/closed.json")).isEqualTo("ada-l closed " + PR + " without merging");
        assertThat(title("pull_request/closed.merged.json")).isEqualTo("ada-l merged " + PR + " into main");
        assertThat(title("pull_request/reopened.json")).isEqualTo("grace-h reopened " + PR);
        assertThat(title("pull_request/synchronize.json")).isEqualTo("grace-h pushed to " + PR);
        assertThat(title("pull_request/labeled.json")).isEqualTo("ada-l added label invoicing to " + PR);
        assertThat(title("pull_request/unlabeled.json")).isEqualTo("ada-l removed label needs-design from " + PR);
        assertThat(title("pull_request/assigned.json")).isEqualTo("ada-l assigned grace-h to " + PR);
        assertThat(title("pull_request/review_requested.json")).isEqualTo("grace-h requested a review from alan-t on " + PR);
        assertThat(title("pull_request/review_requested.team.json")).isEqualTo("grace-h requested a review from billing on " + PR);
        assertThat(title("pull_request/ready_for_review.json"))
                .isEqualTo("katherine-j marked pull request #43: Retry webhook deliveries ready for review");
        assertThat(title("pull_request/converted_to_draft.json"))
                .isEqualTo("katherine-j turned pull request #43: Retry webhook deliveries into a draft");
        assertThat(title("pull_request_review/submitted.approved.json")).isEqualTo("alan-t approved " + PR);
        assertThat(title("pull_request_review/submitted.changes_requested.json")).isEqualTo("alan-t requested changes on " + PR);
        assertThat(title("pull_request_review/submitted.commented.json")).isEqualTo("katherine-j commented on " + PR);
        assertThat(title("pull_request_review/dismissed.json")).isEqualTo("ada-l dismissed a review on " + PR);
        assertThat(title("pull_request_review_comment/created.json")).isEqualTo("alan-t commented on " + PR);
        assertThat(title("issues/opened.json")).isEqualTo("grace-h opened " + ISSUE);
        assertThat(title("issues/closed.json")).isEqualTo("ada-l closed " + ISSUE + " as completed");
        assertThat(title("issues/closed.not_planned.json"))
                .isEqualTo("ada-l closed issue #59: Support fax delivery of invoices as not planned");
        assertThat(title("issues/labeled.json")).isEqualTo("ada-l added label bug to " + ISSUE);
        assertThat(title("issues/assigned.json")).isEqualTo("ada-l assigned grace-h to " + ISSUE);
        assertThat(title("issues/unassigned.json")).isEqualTo("ada-l unassigned grace-h from " + ISSUE);
        assertThat(title("issues/milestoned.json")).isEqualTo("ada-l added " + ISSUE + " to milestone 2026.12");
        assertThat(title("issues/demilestoned.json")).isEqualTo("ada-l removed " + ISSUE + " from milestone 2026.12");
        assertThat(title("issues/transferred.json")).isEqualTo("ada-l transferred " + ISSUE + " to northwind/billing-service");
        assertThat(title("issues/opened.with-empty-body.json"))
                .isEqualTo("katherine-j opened issue #58: Café names with accents are cut in the PDF");
        assertThat(title("issue_comment/created.json")).isEqualTo("alan-t commented on " + ISSUE);
        assertThat(title("issue_comment/created.on-pull-request.json")).isEqualTo("katherine-j commented on " + PR);
        assertThat(title("issue_comment/deleted.json")).isEqualTo("katherine-j deleted a comment on " + ISSUE);
        assertThat(title("workflow_run/requested.json")).isEqualTo("grace-h's workflow CI started on main");
        assertThat(title("workflow_run/completed.success.json")).isEqualTo("grace-h's workflow CI succeeded on main");
        assertThat(title("workflow_run/completed.failure.json")).isEqualTo("grace-h's workflow CI failed on feature/invoice-export");
        // The run has no name of its own: the workflow's is used.
        assertThat(title("workflow_run/completed.cancelled.json")).isEqualTo("alan-t's workflow CI was cancelled on main");
        assertThat(title("workflow_job/queued.json")).isEqualTo("grace-h's job build of workflow CI is queued on main");
        assertThat(title("workflow_job/completed.failure.json"))
                .isEqualTo("grace-h's job integration-tests of workflow CI failed on feature/invoice-export");
        assertThat(title("workflow_job/completed.success.json")).isEqualTo("grace-h's job build of workflow CI succeeded on main");
        assertThat(title("check_run/completed.failure.json"))
                .isEqualTo("Check java-style failed on feature/invoice-export in " + REPO);
        assertThat(title("check_run/completed.success.json"))
                .isEqualTo("Check java-style succeeded on feature/invoice-export in " + REPO);
        assertThat(title("check_run/rerequested.json")).isEqualTo("grace-h re-ran check java-style on feature/invoice-export");
        assertThat(title("check_run/requested_action.json")).isEqualTo("grace-h requested autofix on check java-style");
        assertThat(title("check_suite/completed.success.json"))
                .isEqualTo("Check suite Northwind Lint succeeded on feature/invoice-export");
        assertThat(title("check_suite/completed.failure.json")).isEqualTo("Check suite Northwind Lint failed on feature/invoice-export");
        assertThat(title("release/published.json")).isEqualTo("ada-l published release Orders API 1.4.0 of " + REPO);
        assertThat(title("release/prereleased.json")).isEqualTo("ada-l published pre-release v1.5.0-rc.1 of " + REPO);
        assertThat(title("release/deleted.json")).isEqualTo("ada-l deleted release Orders API 1.3.9 of " + REPO);
        assertThat(title("create/tag.json")).isEqualTo("ada-l created tag v1.4.0 in " + REPO);
        assertThat(title("create/branch.json")).isEqualTo("grace-h created branch feature/invoice-export in " + REPO);
        assertThat(title("delete/tag.json")).isEqualTo("ada-l deleted tag v1.4.0 in " + REPO);
        assertThat(title("delete/branch.json")).isEqualTo("ada-l deleted branch feature/invoice-export in " + REPO);
        assertThat(title("fork/payload.json")).isEqualTo("grace-h forked " + REPO + " to grace-h/orders-api");
        assertThat(title("star/created.json")).isEqualTo("katherine-j starred " + REPO);
        assertThat(title("star/deleted.json")).isEqualTo("katherine-j unstarred " + REPO);
        assertThat(title("watch/started.json")).isEqualTo("katherine-j started watching " + REPO);
        assertThat(title("public/payload.json")).isEqualTo("ada-l made " + REPO + " public");
        assertThat(title("deployment/created.json")).isEqualTo("ada-l deployed main to production");
        assertThat(title("deployment/created.staging.json")).isEqualTo("grace-h deployed feature/invoice-export to staging");
        assertThat(title("deployment_status/created.success.json")).isEqualTo("Deployment of main to production succeeded");
        assertThat(title("deployment_status/created.failure.json")).isEqualTo("Deployment of main to production failed");
        assertThat(title("deployment_status/created.in_progress.json")).isEqualTo("Deployment of main to production is in progress");
        assertThat(title("discussion/created.json")).isEqualTo("katherine-j started " + DISCUSSION);
        assertThat(title("discussion/answered.json")).isEqualTo("ada-l marked an answer in " + DISCUSSION);
        assertThat(title("discussion/labeled.json")).isEqualTo("ada-l added label invoicing to " + DISCUSSION);
        assertThat(title("discussion/category_changed.json")).isEqualTo("ada-l changed the category of " + DISCUSSION);
        assertThat(title("discussion_comment/created.json")).isEqualTo("ada-l commented on " + DISCUSSION);
        assertThat(title("member/added.json")).isEqualTo("ada-l added katherine-j to " + REPO);
        assertThat(title("member/removed.json")).isEqualTo("ada-l removed alan-t from " + REPO);
        assertThat(title("member/edited.json")).isEqualTo("ada-l changed katherine-j's access to " + REPO);
        assertThat(title("status/success.json")).isEqualTo("Status ci/coverage succeeded for d6a3c6b in " + REPO);
        assertThat(title("status/failure.json")).isEqualTo("Status ci/contract-tests failed for d6a3c6b in " + REPO);
        assertThat(title("status/pending.json")).isEqualTo("Status ci/contract-tests is pending for d6a3c6b in " + REPO);
        assertThat(title("gollum/one-page.json")).isEqualTo("grace-h created wiki page Invoice CSV format in " + REPO);
        assertThat(title("gollum/three-pages.json")).isEqualTo("ada-l edited wiki page Runbook and 2 more in " + REPO);
        // Events without a sentence of their own read "who event action in repo".
        assertThat(title("label/created.json")).isEqualTo("ada-l label created in " + REPO);
    }

    @Test
    void reviewStateCommentTextAndConclusionAreKept() {
        ObjectNode changes = valid(github.normalise("pull_request_review", "d", example("pull_request_review/submitted.changes_requested.json")));
        assertThat(changes.at("/payload/reviewState").asText()).isEqualTo("changes_requested");
        assertThat(changes.get("description").asText()).startsWith("The header row must be quoted");
        assertThat(valid(github.normalise("pull_request_review", "d", example("pull_request_review/submitted.approved.json")))
                .at("/payload/reviewState").asText()).isEqualTo("approved");

        ObjectNode comment = valid(github.normalise("issue_comment", "d", example("issue_comment/created.json")));
        assertThat(comment.get("description").asText()).isEqualTo(example("issue_comment/created.json").at("/comment/body").asText());
        assertThat(comment.at("/entity/type").asText()).isEqualTo("issue");
        assertThat(valid(github.normalise("issue_comment", "d", example("issue_comment/created.on-pull-request.json")))
                .at("/entity/type").asText()).isEqualTo("pull_request");

        ObjectNode failed = valid(github.normalise("workflow_job", "d", example("workflow_job/completed.failure.json")));
        assertThat(failed.at("/payload/conclusion").asText()).isEqualTo("failure");
        assertThat(failed.get("priority").asText()).isEqualTo("high");
        assertThat(failed.at("/entity/type").asText()).isEqualTo("workflow");
        ObjectNode passed = valid(github.normalise("workflow_job", "d", example("workflow_job/completed.success.json")));
        assertThat(passed.at("/payload/conclusion").asText()).isEqualTo("success");
        assertThat(passed.has("priority") && passed.get("priority").asText().equals("high")).isFalse();
        ObjectNode run = valid(github.normalise("workflow_run", "d", example("workflow_run/completed.failure.json")));
        assertThat(run.get("priority").asText()).isEqualTo("high");
        assertThat(run.at("/payload/branch").asText()).isEqualTo("feature/invoice-export");
        assertThat(valid(github.normalise("check_run", "d", example("check_run/completed.failure.json"))).get("priority").asText())
                .isEqualTo("high");

        ObjectNode merged = valid(github.normalise("pull_request", "d", example("pull_request/closed.merged.json")));
        assertThat(merged.get("type").asText()).isEqualTo("github.pull_request.merged");
        assertThat(merged.at("/payload/merged").asBoolean()).isTrue();
        ObjectNode closed = valid(github.normalise("pull_request", "d", example("pull_request/closed.json")));
        assertThat(closed.get("type").asText()).isEqualTo("github.pull_request.closed");

        ObjectNode deletedTag = valid(github.normalise("push", "d", example("push/tag-deleted.json")));
        assertThat(deletedTag.at("/payload/deleted").asBoolean()).isTrue();
        assertThat(deletedTag.at("/payload/ref").asText()).isEqualTo("refs/tags/v1.4.0");
    }

    @Test
    void aPushOfMoreThanAMegabyteIsTitledAndItsPayloadFitted() throws IOException {
        byte[] raw;
        try (InputStream in = GithubPayloadsTest.class.getResourceAsStream("/webhooks/github/push/many-commits.json")) {
            raw = in.readAllBytes();
        }
        assertThat(raw.length).isGreaterThan(1024 * 1024);
        ObjectNode event = valid(github.normalise("push", "big", MAPPER.readTree(raw)));
        assertThat(event.get("title").asText()).isEqualTo("grace-h pushed 1200 commits to ledger-import in " + REPO);
        assertThat(event.at("/payload/commits").asInt()).isEqualTo(1200);
        assertThat(EventValidator.serialisedSize(event.get("payload"))).isLessThanOrEqualTo(EventValidator.MAX_PAYLOAD_BYTES);
    }

    @Test
    void formEncodedDeliveriesDecodeToTheSameBytes() throws IOException {
        byte[] form;
        try (InputStream in = GithubPayloadsTest.class.getResourceAsStream("/webhooks/github-pull-request-labeled.form")) {
            form = in.readAllBytes();
        }
        byte[] json;
        try (InputStream in = GithubPayloadsTest.class.getResourceAsStream("/webhooks/github/pull_request/labeled.json")) {
            json = in.readAllBytes();
        }
        WebhookRequest request = new WebhookRequest("acme", "POST", java.net.URI.create("http://x/"), java.util.Map.of(),
                "application/x-www-form-urlencoded", form);
        assertThat(GithubWebhook.payloadOf(request)).isEqualTo(json);
        // Malformed percent-escapes are a client error, not a failure.
        WebhookRequest bad = new WebhookRequest("acme", "POST", java.net.URI.create("http://x/"), java.util.Map.of(),
                "application/x-www-form-urlencoded", "a=1&payload=%7B%zz".getBytes());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GithubWebhook.payloadOf(bad))
                .isInstanceOf(com.activityfeed.web.ProblemException.class);
    }
}
