package com.activityfeed.social.reactions;

import com.activityfeed.web.Problem;
import com.activityfeed.web.ProblemException;

import java.util.List;

/** The reactions a tile takes (SPEC §6). */
public final class ReactionType {
    public static final List<String> ALL = List.of("hype", "respect", "tribute");

    private ReactionType() {
    }

    public static String parse(String type) {
        if (!ALL.contains(type)) {
            throw ProblemException.validation(List.of(new Problem.FieldError(null, "type",
                    "unknown reaction type; one of " + String.join(", ", ALL))));
        }
        return type;
    }
}
