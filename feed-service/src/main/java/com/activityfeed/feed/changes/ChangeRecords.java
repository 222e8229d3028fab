package com.activityfeed.feed.changes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.util.UUID;

/**
 * The change log's rows as {@link TenantLog} writes them, as one batch per flush. The tables
 * belong to Flyway (V2, V95); Hibernate only validates them. Reads (the relay, a resume, the
 * housekeeping) stay SQL over the same tables.
 */
final class ChangeRecords {
    private ChangeRecords() {
    }

    /** A change's key, and its outbox row's. */
    record Key(String tenantId, long seq) {
    }

    /** A tenant's last change number ({@code tenant_seq}). */
    @Entity
    @Table(name = "tenant_seq")
    static class TenantSeq {
        @Id
        @Column(name = "tenant_id")
        String tenantId;

        @Column(name = "last_seq", nullable = false)
        long lastSeq;

        TenantSeq() {
        }

        TenantSeq(String tenantId, long lastSeq) {
            this.tenantId = tenantId;
            this.lastSeq = lastSeq;
        }
    }

    /** One change as relayed on feed.changes and replayed on resume ({@code change_log}). */
    @Entity
    @Table(name = "change_log")
    @IdClass(Key.class)
    static class Change {
        @Id
        @Column(name = "tenant_id")
        String tenantId;

        @Id
        long seq;

        @Column(nullable = false)
        String event;

        @Column(name = "tile_id")
        UUID tileId;

        @JdbcTypeCode(SqlTypes.ARRAY)
        @Column(nullable = false)
        String[] types;

        /** The FeedChange message exactly as relayed. */
        @Column(nullable = false)
        String message;

        Change() {
        }
    }

    /** A change committed and not yet acknowledged by Kafka ({@code change_outbox}). */
    @Entity
    @Table(name = "change_outbox")
    @IdClass(Key.class)
    static class Outbox {
        @Id
        @Column(name = "tenant_id")
        String tenantId;

        @Id
        long seq;

        /** The trace context the relay's send continues. */
        String traceparent;

        Outbox() {
        }

        Outbox(String tenantId, long seq, String traceparent) {
            this.tenantId = tenantId;
            this.seq = seq;
            this.traceparent = traceparent;
        }
    }
}
