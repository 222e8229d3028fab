package com.activityfeed.feed.tiles;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Writing JSON as text where a page is joined from stored JSON rather than from trees. */
final class JsonText {
    private JsonText() {
    }

    /** Appends {@code value} as a quoted, escaped JSON string. */
    static void string(StringBuilder out, String value) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, out);
        out.append('"');
    }
}
