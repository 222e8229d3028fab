package com.activityfeed.messages;

/** What it was done to. */
public record EntityRef(String type, String id, String name) {
}
