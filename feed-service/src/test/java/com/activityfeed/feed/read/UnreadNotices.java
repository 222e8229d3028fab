package com.activityfeed.feed.read;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the UnreadChanged notices the read state fires, for tests. */
@ApplicationScoped
public class UnreadNotices {
    private final List<UnreadChanged> seen = new CopyOnWriteArrayList<>();

    public List<UnreadChanged> seen() {
        return List.copyOf(seen);
    }

    void on(@Observes UnreadChanged notice) {
        seen.add(notice);
    }
}
