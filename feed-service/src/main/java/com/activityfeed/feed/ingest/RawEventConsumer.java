package com.activityfeed.feed.ingest;

import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.RawEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code activity.raw}; a message that cannot be read goes to the DLQ. */
@ApplicationScoped
public class RawEventConsumer {
    public static final String CHANNEL = "activity-raw";

    private final EventStore store;

    public RawEventConsumer(EventStore store) {
        this.store = store;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(String value) {
        RawEvent event = MessageCodec.readRawEvent(value);
        store.store(event);
    }
}
