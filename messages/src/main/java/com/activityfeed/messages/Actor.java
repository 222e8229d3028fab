package com.activityfeed.messages;

/** Who did it: {@code id} is the same identifier as a token's {@code sub}. */
public record Actor(String id, String name) {
}
