package com.activityfeed.social.paging;

import java.util.List;

/** Every list answers {@code {items, nextCursor}}; {@code nextCursor} is null on the last page (SPEC §7). */
public record Page<T>(List<T> items, String nextCursor) {
}
