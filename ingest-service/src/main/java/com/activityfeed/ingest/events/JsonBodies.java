package com.activityfeed.ingest.events;

import com.activityfeed.web.ProblemException;
import com.activityfeed.web.StrictUtf8;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;

/**
 * Reads request bodies strictly: invalid UTF-8 (overlong forms, encoded or escaped lone
 * surrogates, truncated sequences), trailing garbage and duplicate keys are 400s, an empty body
 * too. Bodies arrive as bytes so that invalid UTF-8 is never silently replaced; the parser alone
 * would decode some invalid sequences, so the bytes are checked first.
 */
@ApplicationScoped
public class JsonBodies {
    private final ObjectReader reader;

    public JsonBodies(ObjectMapper mapper) {
        this.reader = mapper.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    public JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("the body is empty");
        }
        String fault = StrictUtf8.fault(body);
        if (fault != null) {
            throw ProblemException.badRequest("the body is not valid JSON in UTF-8: " + fault);
        }
        try {
            JsonNode node = reader.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ProblemException.badRequest("the body is empty");
            }
            return node;
        } catch (IOException e) {
            throw ProblemException.badRequest("the body is not valid JSON in UTF-8: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        // Jackson appends the source location; keep only the reason.
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
