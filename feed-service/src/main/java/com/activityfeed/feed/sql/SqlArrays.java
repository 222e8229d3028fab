package com.activityfeed.feed.sql;

import java.util.Collection;

/** PostgreSQL array text for statements that pass one value per row as arrays ({@code unnest}). */
public final class SqlArrays {
    private SqlArrays() {
    }

    /**
     * An array literal ({@code {"a","b"}}): a row's own text[] travels as one element of a text[]
     * parameter and is cast back per row ({@code x::text[]}), as unnest would flatten a 2-D array.
     */
    public static String literal(Collection<String> values) {
        StringBuilder s = new StringBuilder("{");
        boolean first = true;
        for (String value : values) {
            if (!first) {
                s.append(',');
            }
            first = false;
            s.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return s.append('}').toString();
    }
}
