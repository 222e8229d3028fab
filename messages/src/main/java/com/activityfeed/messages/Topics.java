package com.activityfeed.messages;

import java.util.List;

/** Kafka topic names shared by every service; each is keyed by tenant id. */
public final class Topics {
    public static final String ACTIVITY_RAW = "activity.raw";
    public static final String FEED_CHANGES = "feed.changes";
    public static final String SOCIAL_UPDATES = "social.updates";
    /** Erasure requests (SPEC §6a), consumed by every service that holds personal data. */
    public static final String ERASURE_REQUESTS = "erasure.requests";
    /** Each service's completion of an erasure, recorded by feed-service. */
    public static final String ERASURE_RESULTS = "erasure.results";
    public static final String DLQ_SUFFIX = ".dlq";

    /** Every topic the system uses, dead-letter topics included, in creation order. */
    public static final List<String> ALL = List.of(
            ACTIVITY_RAW, ACTIVITY_RAW + DLQ_SUFFIX,
            FEED_CHANGES, FEED_CHANGES + DLQ_SUFFIX,
            SOCIAL_UPDATES, SOCIAL_UPDATES + DLQ_SUFFIX,
            ERASURE_REQUESTS, ERASURE_RESULTS);

    /** Kafka header names carried next to the JSON value. */
    public static final String HEADER_CORRELATION_ID = "correlationId";
    public static final String HEADER_TRACEPARENT = "traceparent";
    public static final String HEADER_ERROR = "dlq-error";
    public static final String HEADER_ERROR_CLASS = "dlq-error-class";
    public static final String HEADER_ORIGINAL_TOPIC = "dlq-original-topic";
    public static final String HEADER_ORIGINAL_PARTITION = "dlq-original-partition";
    public static final String HEADER_ORIGINAL_OFFSET = "dlq-original-offset";

    private Topics() {
    }

    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }
}
