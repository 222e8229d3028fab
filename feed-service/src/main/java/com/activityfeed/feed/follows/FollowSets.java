package com.activityfeed.feed.follows;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each user's follow terms as this replica knows them, for {@code following=true} reads and streams.
 *
 * <p>Reads check the user's {@code follow_owner.changed_at} (one primary-key lookup) and reload
 * when it moved, so a read on any replica sees a follow the moment it committed. Open streams
 * are told instead: a change made on this replica reloads them right after its commit; one made
 * on another replica is found by {@link #poll()}, which looks every
 * {@link FollowConfig#refreshEvery()} for owner rows changed since its last look (minus an
 * overlap for late commits). A poll over an indexed column was chosen over a Kafka message or
 * LISTEN/NOTIFY: it needs no new topic or dedicated connection, cannot lose a change (the row is
 * the change), and costs one small query per replica per period.
 *
 * <p>Reads of follows are plain JDBC (the entities are for writes): they run on every filtered
 * request and must stay well under a millisecond.
 */
@ApplicationScoped
public class FollowSets {
    private static final Logger LOG = Logger.getLogger(FollowSets.class);
    private static final int CACHED_USERS = 10_000;

    /** A user's follow terms at one moment. */
    public record Snapshot(Set<String> terms, String[] array, Instant changedAt) {
        static final Snapshot EMPTY = new Snapshot(Set.of(), new String[0], null);
    }

    /** The live follow terms of one user's open streams on this replica. */
    public static final class Watch {
        private final Key key;
        private volatile Snapshot snapshot;
        private int holders;

        private Watch(Key key) {
            this.key = key;
        }

        public Snapshot snapshot() {
            return snapshot;
        }
    }

    private record Key(String tenant, String user) {
    }

    private final AgroalDataSource dataSource;
    private final FollowConfig config;
    private final Map<Key, Snapshot> cache = new ConcurrentHashMap<>();
    private final Map<Key, Watch> watched = new ConcurrentHashMap<>();
    private volatile Instant lastPoll = Instant.now();

    public FollowSets(AgroalDataSource dataSource, FollowConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** The user's follow terms now (blocking). */
    public String[] terms(String tenant, String user) {
        Key key = new Key(tenant, user);
        try (Connection c = dataSource.getConnection()) {
            Instant changedAt = changedAt(c, key);
            if (changedAt == null) {
                return Snapshot.EMPTY.array();
            }
            Snapshot cached = cache.get(key);
            if (cached != null && changedAt.equals(cached.changedAt())) {
                return cached.array();
            }
            Snapshot fresh = load(c, key, changedAt);
            if (cache.size() >= CACHED_USERS) {
                cache.clear();
            }
            cache.put(key, fresh);
            return fresh.array();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the follows of " + user, e);
        }
    }

    /** Starts watching the user's follows for a stream (blocking: loads them). Give it back with {@link #unwatch}. */
    public Watch watch(String tenant, String user) {
        Key key = new Key(tenant, user);
        Watch watch = watched.compute(key, (k, w) -> {
            Watch held = w == null ? new Watch(k) : w;
            held.holders++;
            return held;
        });
        if (watch.snapshot == null) {
            reload(watch);
        }
        return watch;
    }

    public void unwatch(Watch watch) {
        watched.computeIfPresent(watch.key, (k, w) -> --w.holders <= 0 ? null : w);
    }

    /** Users with open following streams on this replica (a leak check). */
    public int watchedUsers() {
        return watched.size();
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) FollowsChanged change) {
        Watch watch = watched.get(new Key(change.tenantId(), change.userId()));
        if (watch != null) {
            try {
                reload(watch);
            } catch (RuntimeException e) {
                LOG.warnf("cannot reload the follows of %s for its streams (the next poll will): %s",
                        change.userId(), e.toString());
            }
        }
    }

    @Scheduled(every = "${feed.follows.refresh-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        Instant started = Instant.now();
        if (watched.isEmpty()) {
            lastPoll = started;
            return;
        }
        List<Key> changed = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT tenant_id, user_id, changed_at FROM follow_owner WHERE changed_at > ?")) {
            ps.setTimestamp(1, Timestamp.from(lastPoll.minus(config.refreshOverlap())));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Key key = new Key(rs.getString(1), rs.getString(2));
                    Watch watch = watched.get(key);
                    if (watch != null && (watch.snapshot == null
                            || !Objects.equals(watch.snapshot.changedAt(), rs.getTimestamp(3).toInstant()))) {
                        changed.add(key);
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warnf("cannot look for follow changes: %s", e.toString());
            return;
        }
        for (Key key : changed) {
            Watch watch = watched.get(key);
            if (watch != null) {
                try {
                    reload(watch);
                } catch (RuntimeException e) {
                    LOG.warnf("cannot reload the follows of %s: %s", key.user(), e.toString());
                    return;
                }
            }
        }
        lastPoll = started;
    }

    private void reload(Watch watch) {
        try (Connection c = dataSource.getConnection()) {
            Instant changedAt = changedAt(c, watch.key);
            watch.snapshot = changedAt == null ? Snapshot.EMPTY : load(c, watch.key, changedAt);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the follows of " + watch.key.user(), e);
        }
    }

    private static Instant changedAt(Connection c, Key key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT changed_at FROM follow_owner WHERE tenant_id = ? AND user_id = ?")) {
            ps.setString(1, key.tenant());
            ps.setString(2, key.user());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).toInstant() : null;
            }
        }
    }

    private static Snapshot load(Connection c, Key key, Instant changedAt) throws SQLException {
        List<String> terms = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT term FROM follow WHERE tenant_id = ? AND user_id = ?")) {
            ps.setString(1, key.tenant());
            ps.setString(2, key.user());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    terms.add(rs.getString(1));
                }
            }
        }
        return new Snapshot(Set.copyOf(terms), terms.toArray(String[]::new), changedAt);
    }
}
