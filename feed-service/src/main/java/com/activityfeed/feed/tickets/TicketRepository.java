package com.activityfeed.feed.tickets;

import com.activityfeed.web.Caller;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stream tickets in PostgreSQL, so that any replica accepts a ticket another one issued. A ticket
 * is consumed with one {@code DELETE … RETURNING}: two replicas racing for the same ticket cannot
 * both win. Only the ticket's SHA-256 is stored, so the table never holds a usable credential.
 */
@ApplicationScoped
public class TicketRepository {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgroalDataSource dataSource;
    private final TicketConfig config;
    private final Clock clock = Clock.systemUTC();

    public TicketRepository(AgroalDataSource dataSource, TicketConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** A newly issued ticket. */
    public record Ticket(String ticket, Instant expiresAt) {
    }

    public Ticket issue(Caller caller) throws SQLException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant expiresAt = clock.instant().plus(config.ttl()).truncatedTo(ChronoUnit.MILLIS);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO stream_ticket (ticket_hash, tenant_id, user_id, user_name, roles, expires_at)
                     VALUES (?, ?, ?, ?, ?, ?)""")) {
            ps.setBytes(1, hash(ticket));
            ps.setString(2, caller.tenant());
            ps.setString(3, caller.userId());
            ps.setString(4, caller.name());
            ps.setArray(5, c.createArrayOf("text", caller.roles().toArray()));
            ps.setTimestamp(6, Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
        return new Ticket(ticket, expiresAt);
    }

    /**
     * Uses a ticket up: the caller it was issued to, or empty when it is unknown, already used or
     * expired (an expired ticket is deleted all the same).
     */
    public Optional<Caller> consume(String ticket) throws SQLException {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 128) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     DELETE FROM stream_ticket WHERE ticket_hash = ?
                     RETURNING tenant_id, user_id, user_name, roles, expires_at > now() AS valid""")) {
            ps.setBytes(1, hash(ticket));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean("valid")) {
                    return Optional.empty();
                }
                Set<String> roles = new LinkedHashSet<>(List.of((String[]) rs.getArray("roles").getArray()));
                return Optional.of(new Caller(rs.getString("user_id"), rs.getString("tenant_id"),
                        rs.getString("user_name"), roles));
            }
        }
    }

    /** Tickets nobody used are removed once they expired. */
    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM stream_ticket WHERE expires_at <= now()")) {
            ps.executeUpdate();
        }
    }

    private static byte[] hash(String ticket) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
