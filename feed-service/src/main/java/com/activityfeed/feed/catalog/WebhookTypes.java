package com.activityfeed.feed.catalog;

import com.activityfeed.feed.grouping.GroupingKey;
import com.activityfeed.feed.grouping.GroupingSettings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Catalog entries for the types ingest's webhooks produce (GitHub, HubSpot, Salesforce), so they
 * get a display name, an icon and a group line instead of the humanised fallback. They are
 * looked up by type but not listed with the six built-in types, whose list the client offers as
 * filters. The events carry their own titles; the single templates only stand in when one has
 * none. Activity on one thing (a repository's pushes, a pull request's updates, a workflow's
 * runs, a CRM record's changes) groups by type and entity; arrivals of new things by type.
 */
final class WebhookTypes {
    private static final GroupingSettings BY_TYPE = new GroupingSettings(Duration.ofMinutes(5), 3, GroupingKey.TYPE);
    private static final GroupingSettings BY_ENTITY = new GroupingSettings(Duration.ofMinutes(15), 3, GroupingKey.TYPE_ENTITY);

    private static final Map<String, TypeInfo> TYPES = new LinkedHashMap<>();

    static {
        // GitHub
        add("github.push", "Push", "⬆️", "{actor} pushed to {entity}", "{count} pushes", BY_ENTITY);
        add("github.create", "Branch or tag created", "🌱", "{actor} created {refType|a ref} {ref}", "{count} branches or tags created", BY_TYPE);
        add("github.delete", "Branch or tag deleted", "🗑️", "{actor} deleted {refType|a ref} {ref}", "{count} branches or tags deleted", BY_TYPE);
        add("github.pull_request.opened", "Pull request opened", "🔀", "{actor} opened pull request {entity}", "{count} pull requests opened", BY_TYPE);
        add("github.pull_request.merged", "Pull request merged", "🟣", "{actor} merged pull request {entity}", "{count} pull requests merged", BY_TYPE);
        add("github.pull_request.closed", "Pull request closed", "⛔", "{actor} closed pull request {entity}", "{count} pull requests closed", BY_TYPE);
        add("github.pull_request.reopened", "Pull request reopened", "🔁", "{actor} reopened pull request {entity}", "{count} pull requests reopened", BY_TYPE);
        add("github.pull_request.synchronize", "Pull request updated", "🔄", "{actor} pushed to pull request {entity}", "{count} pull request updates", BY_ENTITY);
        add("github.pull_request.edited", "Pull request edited", "✏️", "{actor} edited pull request {entity}", "{count} pull request edits", BY_ENTITY);
        add("github.pull_request.review_requested", "Review requested", "👀", "{actor} requested a review on {entity}", "{count} reviews requested", BY_TYPE);
        add("github.pull_request.ready_for_review", "Ready for review", "📣", "{actor} marked {entity} ready for review", "{count} pull requests ready for review", BY_TYPE);
        add("github.pull_request.labeled", "Pull request labeled", "🏷️", "{actor} labeled pull request {entity}", "{count} pull request labels", BY_ENTITY);
        add("github.pull_request.assigned", "Pull request assigned", "👤", "{actor} assigned pull request {entity}", "{count} pull request assignments", BY_TYPE);
        add("github.pull_request_review.submitted", "Pull request review", "✅", "{actor} reviewed {entity}: {reviewState|reviewed}", "{count} reviews", BY_ENTITY);
        add("github.pull_request_review.dismissed", "Review dismissed", "🙅", "{actor} dismissed a review on {entity}", "{count} reviews dismissed", BY_TYPE);
        add("github.pull_request_review_comment.created", "Review comment", "💬", "{actor} commented on {entity}", "{count} review comments", BY_ENTITY);
        add("github.issues.opened", "Issue opened", "🐛", "{actor} opened issue {entity}", "{count} issues opened", BY_TYPE);
        add("github.issues.closed", "Issue closed", "✔️", "{actor} closed issue {entity}", "{count} issues closed", BY_TYPE);
        add("github.issues.reopened", "Issue reopened", "🔁", "{actor} reopened issue {entity}", "{count} issues reopened", BY_TYPE);
        add("github.issues.edited", "Issue edited", "✏️", "{actor} edited issue {entity}", "{count} issue edits", BY_ENTITY);
        add("github.issues.labeled", "Issue labeled", "🏷️", "{actor} labeled issue {entity}", "{count} issue labels", BY_ENTITY);
        add("github.issues.assigned", "Issue assigned", "👤", "{actor} assigned issue {entity}", "{count} issue assignments", BY_TYPE);
        add("github.issue_comment.created", "Comment", "💬", "{actor} commented on {entity}", "{count} comments", BY_ENTITY);
        add("github.workflow_run.completed", "Workflow run", "⚙️", "Workflow {entity} {conclusion|finished}", "{count} workflow runs", BY_ENTITY);
        add("github.workflow_run.requested", "Workflow started", "▶️", "Workflow {entity} started", "{count} workflow runs started", BY_ENTITY);
        add("github.workflow_run.in_progress", "Workflow running", "⏳", "Workflow {entity} is running", "{count} workflow runs in progress", BY_ENTITY);
        add("github.workflow_job.completed", "Workflow job", "🧪", "Job {job|of {entity}} {conclusion|finished}", "{count} jobs finished", BY_ENTITY);
        add("github.workflow_job.queued", "Job queued", "🕒", "Job {job|of {entity}} queued", "{count} jobs queued", BY_ENTITY);
        add("github.workflow_job.in_progress", "Job running", "⏳", "Job {job|of {entity}} is running", "{count} jobs running", BY_ENTITY);
        add("github.check_run.completed", "Check run", "🧾", "Check {entity} {conclusion|finished}", "{count} check runs", BY_ENTITY);
        add("github.check_run.created", "Check started", "▶️", "Check {entity} started", "{count} checks started", BY_ENTITY);
        add("github.check_suite.completed", "Check suite", "🧾", "Check suite {entity} {conclusion|finished}", "{count} check suites", BY_ENTITY);
        add("github.check_suite.requested", "Check suite started", "▶️", "Check suite {entity} started", "{count} check suites started", BY_ENTITY);
        add("github.release.published", "Release published", "🚀", "{actor} published {entity}", "{count} releases published", BY_TYPE);
        add("github.release.created", "Release created", "🚀", "{actor} created {entity}", "{count} releases created", BY_TYPE);
        add("github.release.released", "Release released", "🚀", "{actor} released {entity}", "{count} releases", BY_TYPE);
        add("github.release.prereleased", "Pre-release published", "🧪", "{actor} published pre-release {entity}", "{count} pre-releases", BY_TYPE);
        add("github.fork", "Fork", "🍴", "{actor} forked {entity}", "{count} forks", BY_ENTITY);
        add("github.star.created", "Star", "⭐", "{actor} starred {entity}", "{count} new stars", BY_ENTITY);
        add("github.star.deleted", "Star removed", "☆", "{actor} unstarred {entity}", "{count} stars removed", BY_ENTITY);
        add("github.watch.started", "Watcher", "👁️", "{actor} started watching {entity}", "{count} new watchers", BY_ENTITY);
        add("github.deployment.created", "Deployment", "📦", "{actor} deployed to {entity}", "{count} deployments", BY_ENTITY);
        add("github.deployment_status.created", "Deployment status", "🚦", "Deployment to {entity} {state|updated}", "{count} deployment updates", BY_ENTITY);
        add("github.discussion.created", "Discussion started", "🗣️", "{actor} started discussion {entity}", "{count} discussions started", BY_TYPE);
        add("github.discussion.answered", "Discussion answered", "💡", "{actor} answered discussion {entity}", "{count} discussions answered", BY_TYPE);
        add("github.discussion_comment.created", "Discussion comment", "💬", "{actor} commented on discussion {entity}", "{count} discussion comments", BY_ENTITY);
        add("github.member.added", "Collaborator added", "🤝", "{actor} added {member|a collaborator}", "{count} collaborators added", BY_TYPE);
        add("github.public", "Repository made public", "🌍", "{actor} made {entity} public", "{count} repositories made public", BY_TYPE);
        add("github.status", "Commit status", "🚦", "Status {context|of a commit} {state|updated}", "{count} commit statuses", BY_ENTITY);
        add("github.gollum", "Wiki edit", "📖", "{actor} edited the wiki of {entity}", "{count} wiki edits", BY_ENTITY);
        // HubSpot: hubspot.<object>.<change> for the CRM objects
        for (String object : List.of("contact", "company", "deal", "ticket", "product", "line_item")) {
            String name = object.equals("line_item") ? "Line item" : Character.toUpperCase(object.charAt(0)) + object.substring(1);
            String plural = object.equals("company") ? "companies" : object.replace('_', ' ') + "s";
            String icon = switch (object) {
                case "contact" -> "🧑";
                case "company" -> "🏢";
                case "deal" -> "💼";
                case "ticket" -> "🎫";
                default -> "📦";
            };
            add("hubspot." + object + ".creation", name + " created", icon, name + " {entity} created",
                    "{count} " + plural + " created", BY_TYPE);
            add("hubspot." + object + ".propertychange", name + " changed", icon, name + " {entity} changed",
                    "{count} " + object.replace('_', ' ') + " changes", BY_ENTITY);
            add("hubspot." + object + ".deletion", name + " deleted", "🗑️", name + " {entity} deleted",
                    "{count} " + plural + " deleted", BY_TYPE);
            add("hubspot." + object + ".merge", name + "s merged", "🔗", name + " {entity} merged",
                    "{count} " + object.replace('_', ' ') + " merges", BY_TYPE);
            add("hubspot." + object + ".associationchange", name + " association", "🔗", name + " {entity} linked",
                    "{count} association changes", BY_ENTITY);
        }
        // Salesforce outbound messages: salesforce.<sobject>
        add("salesforce.opportunity", "Salesforce opportunity", "💼", "Opportunity {entity} updated", "{count} opportunity updates", BY_ENTITY);
        add("salesforce.account", "Salesforce account", "🏢", "Account {entity} updated", "{count} account updates", BY_ENTITY);
        add("salesforce.contact", "Salesforce contact", "🧑", "Contact {entity} updated", "{count} contact updates", BY_ENTITY);
        add("salesforce.lead", "Salesforce lead", "🎯", "Lead {entity} updated", "{count} lead updates", BY_ENTITY);
        add("salesforce.case", "Salesforce case", "🎫", "Case {entity} updated", "{count} case updates", BY_ENTITY);
        add("salesforce.task", "Salesforce task", "📝", "Task {entity} updated", "{count} task updates", BY_ENTITY);
    }

    private WebhookTypes() {
    }

    private static void add(String type, String displayName, String icon, String single, String group, GroupingSettings grouping) {
        TYPES.put(type, new TypeInfo(type, displayName, icon, single, group, grouping, true));
    }

    /** The entry for a webhook type, or null. */
    static TypeInfo get(String type) {
        return TYPES.get(type);
    }

    static Map<String, TypeInfo> all() {
        return Map.copyOf(TYPES);
    }
}
