package com.activityfeed.social.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A tile's reaction totals by type. */
@Schema(name = "ReactionSummary")
public record ReactionSummary(
        @Schema(required = true, minimum = "0") long hype,
        @Schema(required = true, minimum = "0") long respect,
        @Schema(required = true, minimum = "0") long tribute) {
}
