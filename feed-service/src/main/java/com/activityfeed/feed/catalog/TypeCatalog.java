package com.activityfeed.feed.catalog;

import com.activityfeed.feed.grouping.GroupingKey;
import com.activityfeed.feed.grouping.GroupingSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The six built-in types (seed 000) and a humanised fallback for any other type. */
public final class TypeCatalog {
    public static final String DEFAULT_ICON = "🔔";

    private final Map<String, TypeInfo> types;

    public TypeCatalog(List<TypeInfo> types) {
        Map<String, TypeInfo> byType = new LinkedHashMap<>();
        types.forEach(t -> byType.put(t.type(), t));
        this.types = byType;
    }

    /** The built-in catalog with every type grouped by {@code grouping}'s defaults. */
    public static TypeCatalog builtIn(GroupingSettings grouping) {
        return new TypeCatalog(List.of(
                new TypeInfo("badge_earned", "Badge earned", "🏅", "{actor} earned {badgeName|{entity|a badge}}",
                        "{count} badges earned", grouping, true),
                new TypeInfo("xp_rank_up", "Rank up", "⬆️", "{actor} reached {rank|{entity|a new rank}}",
                        "{count} rank-ups", grouping, true),
                new TypeInfo("challenge_completed", "Challenge completed", "🏆",
                        "{actor} completed {challengeName|{entity|a challenge}}", "{count} challenges completed",
                        grouping, true),
                new TypeInfo("streak_milestone", "Streak milestone", "🔥", "{actor} hit a {days|new}-day streak",
                        "{count} streak milestones", grouping, true),
                new TypeInfo("tasks_burst", "Tasks burst", "⚡",
                        "{actor} finished {tasksDone|{tasks|{tasksCompleted|{taskCount|10+}}}} tasks in a day",
                        "{count} task bursts", grouping, true),
                new TypeInfo("all_tasks_cleared", "All tasks cleared", "✅", "{actor} cleared every task",
                        "{count} task lists cleared", grouping, true)));
    }

    public static TypeCatalog builtIn() {
        return builtIn(GroupingSettings.DEFAULT);
    }

    /** A copy with the grouping of {@code type} replaced (other types keep theirs). */
    public TypeCatalog withGrouping(String type, Duration window, int threshold, GroupingKey key) {
        List<TypeInfo> copy = new ArrayList<>();
        TypeInfo existing = get(type);
        for (TypeInfo t : types.values()) {
            if (!t.type().equals(type)) {
                copy.add(t);
            }
        }
        copy.add(new TypeInfo(type, existing.displayName(), existing.icon(), existing.singleTemplate(),
                existing.groupTemplate(), new GroupingSettings(window, threshold, key), existing.builtIn()));
        return new TypeCatalog(copy);
    }

    public List<TypeInfo> all() {
        return List.copyOf(types.values());
    }

    /**
     * The type's entry, else the webhook types' ({@link WebhookTypes}), else a humanised one:
     * {@code deploy.finished} is "Deploy finished".
     */
    public TypeInfo get(String type) {
        TypeInfo known = types.get(type);
        if (known != null) {
            return known;
        }
        known = WebhookTypes.get(type);
        if (known != null) {
            return known;
        }
        String name = humanise(type);
        return new TypeInfo(type, name, DEFAULT_ICON, null, "{count} × " + name, GroupingSettings.DEFAULT, false);
    }

    static String humanise(String type) {
        String spaced = type.replaceAll("[._-]+", " ").trim();
        if (spaced.isEmpty()) {
            return type;
        }
        return spaced.substring(0, 1).toUpperCase(Locale.ROOT) + spaced.substring(1);
    }
}
