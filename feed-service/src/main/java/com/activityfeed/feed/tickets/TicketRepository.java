package com.activityfeed.feed.tickets;

import com.activityfeed.web.Caller;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
 * Stream tickets and stream cookies in PostgreSQL, so that any replica accepts what another one
 * issued. A ticket is consumed with one {@code DELETE … RETURNING}: two replicas racing for the
 * same ticket cannot both win. A cookie is reusable until the token it was traded for expires, so
 * a standard EventSource's automatic reconnect (same URL, used ticket) still authenticates. Only
 * SHA-256 hashes are stored, so the tables never hold a usable credential.
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
    @Schema(name = "Ticket")
    public record Ticket(@Schema(required = true, description = "one use, as ?ticket= on the stream") String ticket,
                         @Schema(required = true) Instant expiresAt) {
    }

    /** A newly issued stream cookie's value and its end (the token's {@code exp}). */
    public record StreamCookie(String value, Instant expiresAt) {
    }

    public Ticket issue(Caller caller) throws SQLException {
        String ticket = randomSecret();
        Instant expiresAt = clock.instant().plus(config.ttl()).truncatedTo(ChronoUnit.MILLIS);
        insert("stream_ticket", "ticket_hash", ticket, caller, expiresAt);
        return new Ticket(ticket, expiresAt);
    }

    /**
     * A stream cookie for the caller, valid until the caller's token expires (never longer); empty
     * when the caller carries no token expiry or the token has already expired.
     */
    public Optional<StreamCookie> issueCookie(Caller caller) throws SQLException {
        if (caller.expiresAt() == null || !caller.expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        String value = randomSecret();
        insert("stream_cookie", "cookie_hash", value, caller, caller.expiresAt());
        return Optional.of(new StreamCookie(value, caller.expiresAt()));
    }

    /** The caller a stream cookie was issued to, or empty when it is unknown or expired. */
    public Optional<Caller> cookie(String value) throws SQLException {
        if (value == null || value.isEmpty() || value.length() > 128) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT tenant_id, user_id, user_name, roles FROM stream_cookie
                     WHERE cookie_hash = ? AND expires_at > now()""")) {
            ps.setBytes(1, hash(value));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(caller(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Authenticates a stream request: a valid ticket is used up; otherwise (no ticket, or one
     * already used by the first connection of a reconnecting EventSource) the stream cookie.
     */
    public Optional<Caller> authenticate(String ticket, String cookie) throws SQLException {
        Optional<Caller> caller = ticket == null ? Optional.empty() : consume(ticket);
        return caller.isPresent() || cookie == null ? caller : cookie(cookie);
    }

    private void insert(String table, String hashColumn, String secret, Caller caller, Instant expiresAt) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + hashColumn
                     + ", tenant_id, user_id, user_name, roles, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setBytes(1, hash(secret));
            ps.setString(2, caller.tenant());
            ps.setString(3, caller.userId());
            ps.setString(4, caller.name());
            ps.setArray(5, c.createArrayOf("text", caller.roles().toArray()));
            ps.setTimestamp(6, Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
    }

    private static String randomSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static Caller caller(ResultSet rs) throws SQLException {
        Set<String> roles = new LinkedHashSet<>(List.of((String[]) rs.getArray("roles").getArray()));
        return new Caller(rs.getString("user_id"), rs.getString("tenant_id"), rs.getString("user_name"), roles);
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
                return Optional.of(caller(rs));
            }
        }
    }

    /** Tickets nobody used and cookies whose token ended are removed once they expired. */
    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement tickets = c.prepareStatement("DELETE FROM stream_ticket WHERE expires_at <= now()");
             PreparedStatement cookies = c.prepareStatement("DELETE FROM stream_cookie WHERE expires_at <= now()")) {
            tickets.executeUpdate();
            cookies.executeUpdate();
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
