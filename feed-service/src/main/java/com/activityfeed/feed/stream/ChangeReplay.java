package com.activityfeed.feed.stream;

import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.messages.FeedChange;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Reads the change log for streams (blocking: call it off the event loop). */
@ApplicationScoped
public class ChangeReplay {
    private final TenantLog tenantLog;
    private final AgroalDataSource dataSource;

    public ChangeReplay(TenantLog tenantLog, AgroalDataSource dataSource) {
        this.tenantLog = tenantLog;
        this.dataSource = dataSource;
    }

    /** Where a tenant's log stands: its newest change number and the oldest one still kept (0: none). */
    public record Position(long lastSeq, long oldestSeq) {
        /**
         * Whether a client that saw {@code id} can be brought up to date from the log: everything
         * after it must still be there (and it cannot be ahead of the log).
         */
        public boolean canResumeFrom(long id) {
            if (id > lastSeq || id < 0) {
                return false;
            }
            return oldestSeq == 0 ? id == lastSeq : id >= oldestSeq - 1;
        }
    }

    public Position position(String tenant) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            // newest first: a change appended in between only makes the range larger, never a gap
            long last = tenantLog.lastSeq(c, tenant);
            return new Position(last, tenantLog.oldestSeq(c, tenant));
        }
    }

    public List<FeedChange> after(String tenant, long afterSeq, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return tenantLog.after(c, tenant, afterSeq, limit);
        }
    }
}
