package com.activityfeed.feed.erasure;

import com.activityfeed.feed.stream.StreamHub;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes, on every replica, the open streams of a person (or tenant) whose erasure's feed part has
 * been committed. {@code erasure.requests} reaches one member of the feed's group only, and the
 * person's streams may be held by any replica; the erasure records are in the database every
 * replica shares, so each looks there once a second ({@code feed.erasure.close-every}) for records
 * whose {@code feed_done_at} is recent. A record is handled once per replica; the replica that
 * did the erasure closes its own streams after commit anyway, and closing twice closes nothing.
 */
@ApplicationScoped
public class ErasureStreamCloser {
    /**
     * How far back a look reaches: longer than any transaction between setting {@code feed_done_at}
     * and its commit, so a record committed late is still seen.
     */
    static final Duration LOOK_BACK = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(ErasureStreamCloser.class);

    private final AgroalDataSource dataSource;
    private final StreamHub hub;
    /** Records already handled here, by id, with their feed_done_at (forgotten after LOOK_BACK). */
    private final Map<UUID, Instant> handled = new ConcurrentHashMap<>();
    private volatile boolean failing;

    public ErasureStreamCloser(AgroalDataSource dataSource, StreamHub hub) {
        this.dataSource = dataSource;
        this.hub = hub;
    }

    @Scheduled(every = "${feed.erasure.close-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        try {
            closeRecent(Instant.now());
            if (failing) {
                LOG.info("closing erased users' streams works again");
                failing = false;
            }
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                LOG.warnf("cannot look for erasures to close streams of, retrying: %s", e.getMessage());
                failing = true;
            }
        }
    }

    /** Closes the streams of every erasure whose feed part was done since {@code now - LOOK_BACK}; returns how many. */
    int closeRecent(Instant now) throws SQLException {
        Instant since = now.minus(LOOK_BACK);
        handled.values().removeIf(at -> at.isBefore(since.minus(LOOK_BACK)));
        int closed = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, tenant_id, user_id, feed_done_at FROM erasure_request WHERE feed_done_at > ?")) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    if (handled.putIfAbsent(id, rs.getTimestamp(4).toInstant()) != null) {
                        continue;
                    }
                    int n = hub.close(rs.getString(2), rs.getString(3));
                    if (n > 0) {
                        LOG.infof("erasure %s: %d open streams closed on this replica", id, n);
                    }
                    closed += n;
                }
            }
        }
        return closed;
    }
}
