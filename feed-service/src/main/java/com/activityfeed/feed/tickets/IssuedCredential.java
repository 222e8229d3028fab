package com.activityfeed.feed.tickets;

import com.activityfeed.web.Caller;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a stream ticket and a stream cookie both remember of the caller they were issued to, so
 * the stream authenticates the same {@link Caller} a bearer token gives. Never leaves
 * {@link TicketRepository}.
 */
@MappedSuperclass
public abstract class IssuedCredential extends PanacheEntityBase {
    @Column(name = "tenant_id", nullable = false)
    public String tenantId;
    @Column(name = "user_id", nullable = false)
    public String userId;
    @Column(name = "user_name", nullable = false)
    public String userName;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "roles", nullable = false)
    public List<String> roles;
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    void issuedTo(Caller caller, Instant expiresAt) {
        this.tenantId = caller.tenant();
        this.userId = caller.userId();
        this.userName = caller.name();
        this.roles = List.copyOf(caller.roles());
        this.expiresAt = expiresAt;
    }

    Caller caller() {
        return new Caller(userId, tenantId, userName, new LinkedHashSet<>(roles));
    }
}
