package com.activityfeed.messages;

/** Reaction totals of one tile, by type. */
public record ReactionCounts(long hype, long respect, long tribute) {
    public static final ReactionCounts ZERO = new ReactionCounts(0, 0, 0);
}
