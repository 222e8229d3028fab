package com.activityfeed.feed.sql;

import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;

import java.sql.Connection;
import java.util.function.Consumer;

/**
 * The feed's batch writes (event rows, tiles, the change log) through Hibernate: a
 * {@link StatelessSession} on the connection the caller holds in its transaction, so the writes
 * join the grouping pass's tenant lock and commit with it. {@code insertMultiple} and
 * {@code upsertMultiple} send one JDBC batch the size of the list, so the rows are written when the
 * work returns and the caller's next statement sees them. {@code HotPathPersistenceBench} measured
 * the cost against the hand-built statements these replaced (README, "what we use for what").
 */
@ApplicationScoped
public class BatchWrites {
    private final SessionFactory sessions;

    BatchWrites(SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Runs {@code work} on a stateless session over {@code c}; the connection stays open and uncommitted. */
    public void on(Connection c, Consumer<StatelessSession> work) {
        try (StatelessSession session = sessions.withStatelessOptions().connection(c).openStatelessSession()) {
            work.accept(session);
        }
    }
}
