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
 * Every GitHub example payload of the events we title (octokit/webhooks' payload examples, as
 * GitHub documents them, committed under test resources webhooks/github/EVENT/) normalises to a
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

    @Test
    void everyExamplePayloadNormalisesToAValidEventWithATitle() throws IOException, URISyntaxException {
        Path root = Path.of(GithubPayloadsTest.class.getResource("/webhooks/github").toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(150);
        for (Path file : files) {
            String path = root.relativize(file).toString().replace('\\', '/');
            String title = title(path);
            assertThat(title).as(path).isNotBlank().doesNotContain("null").doesNotContain("Github");
        }
    }

    @Test
    void titlesSayWhoDidWhatToWhichThingWithItsOutcome() {
        assertThat(title("push/payload.json")).isEqualTo("Codertocat deleted tag simple-tag in Codertocat/Hello-World");
        assertThat(title("push/with-new-branch.payload.json"))
                .isEqualTo("Codertocat created branch master in Codertocat/Hello-World with 1 commit");
        assertThat(title("pull_request/opened.payload.json"))
                .isEqualTo("Codertocat opened pull request #2: Update the README with new information.");
        assertThat(title("pull_request/closed.payload.json")).endsWith("without merging");
        assertThat(title("pull_request/labeled.payload.json"))
                .isEqualTo("Codertocat added label bug to pull request #2: Update the README with new information.");
        assertThat(title("pull_request/review_requested.payload.json")).startsWith("Codertocat requested a review from octocat on");
        assertThat(title("pull_request_review/submitted.payload.json"))
                .isEqualTo("Codertocat commented on pull request #2: Update the README with new information.");
        assertThat(title("issues/opened.payload.json")).isEqualTo("Codertocat opened issue #1: Spelling error in the README file");
        assertThat(title("issues/labeled.payload.json")).isEqualTo("Codertocat added label bug to issue #1: Spelling error in the README file");
        assertThat(title("issues/assigned.payload.json")).isEqualTo("Codertocat assigned Codertocat to issue #1: Spelling error in the README file");
        assertThat(title("issues/milestoned.payload.json")).endsWith("to milestone v1.0");
        assertThat(title("issue_comment/created.payload.json")).isEqualTo("Codertocat commented on issue #1: Spelling error in the README file");
        assertThat(title("workflow_run/completed.payload.json")).isEqualTo("Codertocat's workflow test succeeded on master");
        assertThat(title("workflow_job/completed.failure.with-organization.payload.json"))
                .isEqualTo("Codertocat's job linters of workflow CodeQL failed on main");
        assertThat(title("workflow_job/completed.success.with-organization.payload.json"))
                .isEqualTo("Codertocat's job linters of workflow CodeQL succeeded on main");
        assertThat(title("check_run/completed.1.payload.json")).isEqualTo("Check Octocoders-linter failed on changes in Codertocat/Hello-World");
        assertThat(title("check_run/completed.payload.json")).isEqualTo("Check Octocoders-linter succeeded on changes in Codertocat/Hello-World");
        assertThat(title("check_suite/completed.payload.json")).isEqualTo("Check suite octocoders-linter succeeded on changes");
        assertThat(title("release/published.payload.json")).isEqualTo("Codertocat published release 0.0.1 of Codertocat/Hello-World");
        assertThat(title("create/payload.json")).isEqualTo("Codertocat created tag simple-tag in Codertocat/Hello-World");
        assertThat(title("delete/payload.json")).isEqualTo("Codertocat deleted tag simple-tag in Codertocat/Hello-World");
        assertThat(title("fork/payload.json")).isEqualTo("Octocoders forked Codertocat/Hello-World to Octocoders/Hello-World");
        assertThat(title("star/created.payload.json")).isEqualTo("Codertocat starred Codertocat/Hello-World");
        assertThat(title("watch/started.payload.json")).isEqualTo("Codertocat started watching Codertocat/Hello-World");
        assertThat(title("deployment/payload.json")).isEqualTo("Codertocat deployed master to production");
        assertThat(title("deployment_status/payload.json")).isEqualTo("Deployment of master to production succeeded");
        assertThat(title("discussion/created.payload.json")).isEqualTo("Codertocat started discussion #4: TEST edit");
        assertThat(title("discussion_comment/created.payload.json")).isEqualTo("Codertocat commented on discussion #4: TEST edit");
        assertThat(title("member/added.payload.json")).isEqualTo("hacktocat added hacktocat to Codertocat/Hello-World");
        assertThat(title("status/payload.json")).isEqualTo("Status default succeeded for 6113728 in Codertocat/Hello-World");
    }

    @Test
    void reviewStateCommentTextAndConclusionAreKept() {
        ObjectNode review = (ObjectNode) example("pull_request_review/submitted.payload.json");
        ((ObjectNode) review.get("review")).put("state", "approved");
        assertThat(valid(github.normalise("pull_request_review", "d", review)).get("title").asText())
                .startsWith("Codertocat approved pull request #2");
        ((ObjectNode) review.get("review")).put("state", "changes_requested");
        ObjectNode changes = valid(github.normalise("pull_request_review", "d", review));
        assertThat(changes.get("title").asText()).startsWith("Codertocat requested changes on pull request #2");
        assertThat(changes.at("/payload/reviewState").asText()).isEqualTo("changes_requested");

        ObjectNode comment = valid(github.normalise("issue_comment", "d", example("issue_comment/created.payload.json")));
        assertThat(comment.get("description").asText()).isEqualTo(example("issue_comment/created.payload.json").at("/comment/body").asText());

        ObjectNode failed = valid(github.normalise("workflow_job", "d", example("workflow_job/completed.failure.with-organization.payload.json")));
        assertThat(failed.at("/payload/conclusion").asText()).isEqualTo("failure");
        assertThat(failed.get("priority").asText()).isEqualTo("high");
        assertThat(failed.at("/entity/type").asText()).isEqualTo("workflow");

        ObjectNode merged = (ObjectNode) example("pull_request/closed.payload.json");
        ((ObjectNode) merged.get("pull_request")).put("merged", true);
        ObjectNode event = valid(github.normalise("pull_request", "d", merged));
        assertThat(event.get("type").asText()).isEqualTo("github.pull_request.merged");
        assertThat(event.get("title").asText()).isEqualTo("Codertocat merged pull request #2: Update the README with new information. into master");

        ObjectNode pushed = (ObjectNode) example("push/payload.json");
        pushed.put("deleted", false).put("created", false).put("ref", "refs/heads/main");
        assertThat(valid(github.normalise("push", "d", pushed)).get("title").asText())
                .isEqualTo("Codertocat pushed 0 commits to main in Codertocat/Hello-World");
    }

    @Test
    void formEncodedDeliveriesDecodeToTheSameBytes() throws IOException {
        byte[] form;
        try (InputStream in = GithubPayloadsTest.class.getResourceAsStream("/webhooks/github-pull-request-labeled.form")) {
            form = in.readAllBytes();
        }
        byte[] json;
        try (InputStream in = GithubPayloadsTest.class.getResourceAsStream("/webhooks/github/pull_request/labeled.payload.json")) {
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
