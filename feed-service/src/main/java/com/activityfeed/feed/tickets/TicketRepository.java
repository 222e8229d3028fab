package com.activityfeed.feed.tickets;

import com.activityfeed.web.Caller;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/**
 * Stream tickets and stream cookies in PostgreSQL ({@link IssuedTicket}, {@link IssuedCookie}:
 * Hibernate ORM with Panache over Flyway's tables), so that any replica accepts what another one
 * issued. A ticket is used up under a row lock ({@code SELECT … FOR UPDATE}, then deleted in the
 * same transaction): a second replica racing for the same ticket waits for that lock and then
 * finds no row, so two cannot both win. A cookie is reusable until the token it was traded for
 * expires, so a standard EventSource's automatic reconnect (same URL, used ticket) still
 * authenticates. Only SHA-256 hashes are stored, so the tables never hold a usable credential.
 * Expiry is compared with the database's clock ({@code current_timestamp}), one clock for every
 * replica.
 */
@ApplicationScoped
public class TicketRepository {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TicketConfig config;
    private final Clock clock = Clock.systemUTC();

    public TicketRepository(TicketConfig config) {
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

    /** Flushed here, so a store that cannot be reached fails this call (not a later commit). */
    @Transactional
    public Ticket issue(Caller caller) {
        String ticket = randomSecret();
        Instant expiresAt = clock.instant().plus(config.ttl()).truncatedTo(ChronoUnit.MILLIS);
        IssuedTicket row = new IssuedTicket();
        row.ticketHash = hash(ticket);
        row.issuedTo(caller, expiresAt);
        row.persistAndFlush();
        return new Ticket(ticket, expiresAt);
    }

    /**
     * A stream cookie for the caller, valid until the caller's token expires (never longer); empty
     * when the caller carries no token expiry or the token has already expired.
     */
    @Transactional
    public Optional<StreamCookie> issueCookie(Caller caller) {
        if (caller.expiresAt() == null || !caller.expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        String value = randomSecret();
        IssuedCookie row = new IssuedCookie();
        row.cookieHash = hash(value);
        row.issuedTo(caller, caller.expiresAt());
        row.persistAndFlush();
        return Optional.of(new StreamCookie(value, caller.expiresAt()));
    }

    /** The caller a stream cookie was issued to, or empty when it is unknown or expired. */
    @Transactional
    public Optional<Caller> cookie(String value) {
        if (value == null || value.isEmpty() || value.length() > 128) {
            return Optional.empty();
        }
        return IssuedCookie.<IssuedCookie>find("cookieHash = ?1 and expiresAt > current_timestamp", hash(value))
                .singleResultOptional().map(IssuedCredential::caller);
    }

    /**
     * Authenticates a stream request: a valid ticket is used up; otherwise (no ticket, or one
     * already used by the first connection of a reconnecting EventSource) the stream cookie.
     */
    @Transactional
    public Optional<Caller> authenticate(String ticket, String cookie) {
        Optional<Caller> caller = ticket == null ? Optional.empty() : consume(ticket);
        return caller.isPresent() || cookie == null ? caller : cookie(cookie);
    }

    /**
     * Uses a ticket up: the caller it was issued to, or empty when it is unknown, already used or
     * expired (an expired ticket is deleted all the same).
     */
    @Transactional
    public Optional<Caller> consume(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 128) {
            return Optional.empty();
        }
        byte[] hash = hash(ticket);
        Optional<IssuedTicket> valid = IssuedTicket.<IssuedTicket>find("ticketHash = ?1 and expiresAt > current_timestamp", hash)
                .withLock(LockModeType.PESSIMISTIC_WRITE).singleResultOptional();
        if (valid.isPresent()) {
            valid.get().delete();
        } else {
            IssuedTicket.delete("ticketHash", hash);
        }
        return valid.map(IssuedCredential::caller);
    }

    /** Tickets nobody used and cookies whose token ended are removed once they expired. */
    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void purgeExpired() {
        IssuedTicket.delete("expiresAt <= current_timestamp");
        IssuedCookie.delete("expiresAt <= current_timestamp");
    }

    private static String randomSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static byte[] hash(String ticket) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
