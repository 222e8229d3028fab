package com.activityfeed.feed.grouping;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Decides, event by event in per-tenant log order, whether an event becomes a single tile, folds
 * its window's singles into a group, or grows a group (SPEC §4). Pure: the outcome depends only on
 * the key's newest window and the event, so replaying the log in any batch split gives the same
 * tiles. The caller stores the returned window and applies the decision.
 */
public final class GroupingEngine {
    private GroupingEngine() {
    }

    /**
     * @param current the event key's newest window, or null when the key has none
     */
    public static Decision decide(EventFacts event, GroupingSettings settings, WindowState current) {
        String key = settings.key().keyOf(event);
        if (!event.groupable()) {
            return new Decision(Decision.Kind.SINGLE, event.id(), List.of(), key, null);
        }
        if (current != null && event.occurredAt().isBefore(current.start())) {
            // late: older than the newest window, stays single and changes no window
            return new Decision(Decision.Kind.SINGLE, event.id(), List.of(), key, null);
        }
        if (current == null || !current.contains(event.occurredAt())) {
            WindowState opened = new WindowState(key, event.occurredAt(), event.occurredAt().plus(settings.window()), 1,
                    List.of(event.id()), null);
            return new Decision(Decision.Kind.SINGLE, event.id(), List.of(), key, opened);
        }
        int count = current.count() + 1;
        if (current.groupId() != null) {
            return new Decision(Decision.Kind.GROW, current.groupId(), List.of(), key,
                    new WindowState(key, current.start(), current.end(), count, List.of(), current.groupId()));
        }
        if (count < settings.threshold()) {
            List<UUID> singles = new ArrayList<>(current.singles());
            singles.add(event.id());
            return new Decision(Decision.Kind.SINGLE, event.id(), List.of(), key,
                    new WindowState(key, current.start(), current.end(), count, singles, null));
        }
        UUID groupId = TileIds.group(event.tenant(), current.singles().getFirst());
        return new Decision(Decision.Kind.FOLD, groupId, current.singles(), key,
                new WindowState(key, current.start(), current.end(), count, List.of(), groupId));
    }
}
