package com.activityfeed.feed.sql;

import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;

import java.sql.Connection;
import java.util.function.Consumer;

/**
 * The consumer's batch writes (event rows, the change log) through Hibernate: a
 * {@link StatelessSession} on the connection the caller holds in its transaction, so the writes
 * join the grouping pass's tenant lock and commit with it. {@code insertMultiple} sends one JDBC
 * batch the size of the list, so the rows are written when the work returns and the caller's next
 * statement sees them. {@code HotPathPersistenceBench} measured the cost against the hand-built
 * statements these replaced: 2 % (event rows) and 3 % (change log) of P5's time per event; the
 * tiles stayed on {@code TileStore}'s JDBC batch, where Hibernate's upsert (an update, then an
 * insert, one row at a time) cost four times as much (README, "what we use for what").
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
