package com.activityfeed.ingest.webhooks;

import com.activityfeed.web.Problem;
import com.activityfeed.web.ProblemException;

final class WebhookProblems {
    private WebhookProblems() {
    }

    static ProblemException badSignature(String detail) {
        return new ProblemException(Problem.of(401, "Unauthorized", detail), null);
    }
}
