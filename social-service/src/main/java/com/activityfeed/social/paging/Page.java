package com.activityfeed.social.paging;

import java.util.List;
import java.util.function.Function;

/** Every list answers {@code {items, nextCursor}}; {@code nextCursor} is null on the last page (SPEC §7). */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * The page from up to {@code limit + 1} rows in (createdAt, id) order: a row beyond the limit
     * means there is more, and the cursor is the last shown item's position.
     */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, T> toItem, Function<R, Cursor> position) {
        if (rows.size() <= limit) {
            return new Page<>(rows.stream().map(toItem).toList(), null);
        }
        List<R> shown = rows.subList(0, limit);
        return new Page<>(shown.stream().map(toItem).toList(), position.apply(shown.get(limit - 1)).encode());
    }
}
