package com.activityfeed.feed.grouping;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The newest window of one tenant and key, as the engine needs it to decide the next event.
 *
 * @param start   the opening event's occurredAt
 * @param end     start + the window length at opening (exclusive)
 * @param count   events in the window so far
 * @param singles the single tiles of the window while it has not folded yet (in arrival order)
 * @param groupId the group tile once the window folded, else null
 */
public record WindowState(String key, Instant start, Instant end, int count, List<UUID> singles, UUID groupId) {
    public WindowState {
        singles = List.copyOf(singles);
    }

    public boolean contains(Instant at) {
        return !at.isBefore(start) && at.isBefore(end);
    }
}
