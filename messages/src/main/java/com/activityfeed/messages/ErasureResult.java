package com.activityfeed.messages;

import java.time.Instant;
import java.util.UUID;

/**
 * A service's report that it has done its part of an erasure, on {@code erasure.results}. Key =
 * {@code tenantId}. feed-service records it on the erasure record; a repeated result changes nothing.
 *
 * @param id      the erasure record's id ({@link ErasureRequest#id()})
 * @param service the reporting service ({@code social})
 */
public record ErasureResult(int v, UUID id, String tenantId, String service, Instant completedAt) {
    public static final int VERSION = 1;
    public static final String SOCIAL = "social";
}
