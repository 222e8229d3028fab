package com.activityfeed.social.reactions;

/** How many reactions of one type a tile has (a query projection). */
public record TypeCount(String type, Long count) {
}
