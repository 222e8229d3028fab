package com.activityfeed.feed.stream;

import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.MessageCodec;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.buffer.Buffer;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A change as it goes on the wire, encoded once and written to every subscriber that wants it.
 * {@code seq} 0 marks a user notice, which carries no {@code id}. {@code madeAt} ({@link System#nanoTime})
 * times the {@code fanout_to_written} hop of a live change. {@code trace} is the fan-out span of a
 * live change that came with a trace context, null otherwise.
 */
record Frame(FeedChange change, Buffer bytes, long madeAt, Trace trace) {

    static Frame of(FeedChange change) {
        return of(change, null);
    }

    static Frame of(FeedChange change, SpanContext fanout) {
        String data = MessageCodec.jsonText(change.data());
        return new Frame(change, encode(change.seq() > 0 ? change.seq() : null, change.event(), data), System.nanoTime(),
                fanout == null || !fanout.isValid() ? null : new Trace(fanout));
    }

    /**
     * The fan-out span a frame was handed out under. Only the first stream write of the frame is
     * traced ({@link #claim}): one span per subscriber would cost as much as the write itself, and
     * the writes to further subscribers are counted by {@code feed.stream.events.delivered}.
     */
    static final class Trace {
        final SpanContext parent;
        private final AtomicBoolean claimed = new AtomicBoolean();

        Trace(SpanContext parent) {
            this.parent = parent;
        }

        /** True for the first caller only. */
        boolean claim() {
            return !claimed.get() && claimed.compareAndSet(false, true);
        }
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
