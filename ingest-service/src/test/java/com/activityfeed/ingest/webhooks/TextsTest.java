package com.activityfeed.ingest.webhooks;

import com.activityfeed.ingest.events.EventValidator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextsTest {
    @Test
    void foreignNamesBecomeValidEventTypes() {
        assertThat(Texts.type("hubspot", "contact.propertyChange")).isEqualTo("hubspot.contact.propertychange");
        assertThat(Texts.type("github.issues", "Ready For Review!")).isEqualTo("github.issues.ready_for_review_");
        assertThat(Texts.type("github.push", (String) null)).isEqualTo("github.push");
        String long64 = Texts.type("x", "y".repeat(100));
        assertThat(long64).hasSize(64);
        assertThat(EventValidator.TYPE.matcher(long64).matches()).isTrue();
    }

    @Test
    void foreignTextIsSanitisedAndCutToTheLimit() {
        ObjectNode node = new ObjectMapper().createObjectNode();
        Texts.put(node, "title", " a\u0000b ", 200);
        assertThat(node.get("title").asText()).isEqualTo("ab");
        Texts.put(node, "title", "z".repeat(300), 200);
        assertThat(node.get("title").asText()).hasSize(200).endsWith("…");
        Texts.put(node, "name", "\u0007 ", 10);
        assertThat(node.has("name")).isFalse();
    }

    @Test
    void salesforceOrganisationIdsCompareInBothForms() {
        assertThat(SalesforceWebhook.sameOrganisation("00D5g000004ABCDEAA", "00D5g000004ABCD")).isTrue();
        assertThat(SalesforceWebhook.sameOrganisation("00D5g000004ABCDEAA", "00D5g000004abcdEAA")).isFalse();
        assertThat(SalesforceWebhook.sameOrganisation("00D5g", "00D5g")).isFalse();
    }

    @Test
    void signaturesCompareExactly() {
        String header = Signatures.sha256Header("secret", "body".getBytes());
        assertThat(Signatures.matches(header, Signatures.sha256Header("secret", "body".getBytes()))).isTrue();
        assertThat(Signatures.matches(header, Signatures.sha256Header("secret", "Body".getBytes()))).isFalse();
        assertThat(Signatures.matches(header, null)).isFalse();
    }
}
