package com.activityfeed.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

public enum Priority {
    LOW, NORMAL, HIGH, URGENT;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Strict parse of the wire form; {@code null} for anything else. */
    @JsonCreator
    public static Priority fromWire(String value) {
        if (value == null) {
            return null;
        }
        for (Priority p : values()) {
            if (p.wire().equals(value)) {
                return p;
            }
        }
        return null;
    }

    /** High and urgent events are never grouped (SPEC §4). */
    public boolean groupable() {
        return this == LOW || this == NORMAL;
    }
}
