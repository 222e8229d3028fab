package com.activityfeed.feed.stream;

import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.MessageCodec;
import io.vertx.core.buffer.Buffer;

import java.util.Set;

/**
 * A change as it goes on the wire, encoded once and written to every subscriber that wants it.
 * {@code seq} 0 marks a user notice, which carries no {@code id}. {@code madeAt} ({@link System#nanoTime})
 * times the {@code fanout_to_written} hop of a live change.
 */
record Frame(FeedChange change, Buffer bytes, long madeAt) {

    static Frame of(FeedChange change) {
        String data = change.data() == null ? "{}" : MessageCodec.write(change.data());
        return new Frame(change, encode(change.seq() > 0 ? change.seq() : null, change.event(), data), System.nanoTime());
    }

    static Buffer encode(Long id, String event, String data) {
        StringBuilder text = new StringBuilder(data.length() + 64);
        if (id != null) {
            text.append("id: ").append(id).append('\n');
        }
        text.append("event: ").append(event).append('\n');
        // Jackson writes JSON on one line (newlines inside strings are escaped), so one data line.
        text.append("data: ").append(data).append("\n\n");
        return Buffer.buffer(text.toString());
    }

    long seq() {
        return change.seq();
    }

    boolean isNotice() {
        return change.seq() == 0;
    }

    /** Whether a {@code types} filter lets this change through; changes about no type always pass. */
    boolean matches(Set<String> types) {
        return types == null || change.types().isEmpty() || change.types().stream().anyMatch(types::contains);
    }
}
