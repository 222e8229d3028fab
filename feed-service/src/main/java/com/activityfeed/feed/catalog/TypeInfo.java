package com.activityfeed.feed.catalog;

import com.activityfeed.feed.grouping.GroupingSettings;

/**
 * One type of the catalog. Templates name {@code {actor}}, {@code {entity}}, {@code {count}},
 * {@code {displayName}} or a payload field, with an optional fallback after a bar: {@code {badgeName|a badge}}.
 */
public record TypeInfo(String type, String displayName, String icon, String singleTemplate, String groupTemplate,
                       GroupingSettings grouping, boolean builtIn) {
}
