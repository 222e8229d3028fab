package com.activityfeed.feed.grouping;

import java.util.List;
import java.util.UUID;

/**
 * What to do with one event. {@code window} is the key's newest window afterwards (null when the
 * event is not grouped at all and no window changes).
 */
public record Decision(Kind kind, UUID tileId, List<UUID> foldedTileIds, String key, WindowState window) {
    public enum Kind {
        /** a new single tile whose id is the event id */
        SINGLE,
        /** the event and the window's singles fold into the new group tile {@code tileId} */
        FOLD,
        /** the event joins the existing group tile {@code tileId} */
        GROW
    }

    public Decision {
        foldedTileIds = List.copyOf(foldedTileIds);
    }

    /** Whether the key's window state changed and must be stored. */
    public boolean changesWindow() {
        return window != null;
    }
}
