package com.activityfeed.feed.grouping;

import java.util.Locale;

/** What makes events fall into one window: the type alone, or the type plus actor or entity. */
public enum GroupingKey {
    TYPE, TYPE_ACTOR, TYPE_ENTITY;

    /** The window key of an event; events without an actor (entity) share the key of "none". */
    public String keyOf(EventFacts event) {
        return switch (this) {
            case TYPE -> event.type();
            case TYPE_ACTOR -> event.type() + "|a:" + nullToEmpty(event.actorId());
            case TYPE_ENTITY -> event.type() + "|e:" + nullToEmpty(event.entityType()) + ":" + nullToEmpty(event.entityId());
        };
    }

    /** The catalog's spelling: {@code type}, {@code type+actor}, {@code type+entity}. */
    public String wire() {
        return switch (this) {
            case TYPE -> "type";
            case TYPE_ACTOR -> "type+actor";
            case TYPE_ENTITY -> "type+entity";
        };
    }

    public static GroupingKey fromWire(String value) {
        for (GroupingKey key : values()) {
            if (key.wire().equals(value.toLowerCase(Locale.ROOT))) {
                return key;
            }
        }
        throw new IllegalArgumentException("unknown grouping key " + value);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
