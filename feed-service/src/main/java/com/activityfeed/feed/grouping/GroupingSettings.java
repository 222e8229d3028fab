package com.activityfeed.feed.grouping;

import java.time.Duration;

/**
 * How one type groups: window length, the member count at which singles fold into a group
 * (3 by default: events one and two stay single, the third folds), and the key.
 */
public record GroupingSettings(Duration window, int threshold, GroupingKey key) {
    public static final GroupingSettings DEFAULT = new GroupingSettings(Duration.ofMinutes(5), 3, GroupingKey.TYPE);

    public GroupingSettings {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        if (threshold < 2) {
            throw new IllegalArgumentException("threshold must be at least 2");
        }
    }
}
