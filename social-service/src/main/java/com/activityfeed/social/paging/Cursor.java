package com.activityfeed.social.paging;

import com.activityfeed.web.ProblemException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque position in a list ordered by (createdAt, id): the last item of the page before.
 * Microsecond precision, as PostgreSQL stores it, so no row is skipped or repeated.
 */
public record Cursor(Instant createdAt, UUID id) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public String encode() {
        long micros = createdAt.getEpochSecond() * 1_000_000 + createdAt.getNano() / 1_000;
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Null for no cursor; a 400 for one this service did not make. */
    public static Cursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            long micros = Long.parseLong(text.substring(0, colon));
            return new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L),
                    UUID.fromString(text.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("cursor is not one this service handed out");
        }
    }

    /** The (created_at, id) a first page starts after: before any row. */
    public static final Cursor START = new Cursor(Instant.EPOCH, new UUID(Long.MIN_VALUE, Long.MIN_VALUE));

    /** The HQL condition "after this position", with the parameters {@code :afterAt} and {@code :afterId}. */
    public static final String AFTER = "(createdAt, id) > (:afterAt, :afterId)";

    /** {@code cursor}, or {@link #START} when there is none. */
    public static Cursor orStart(Cursor cursor) {
        return cursor == null ? START : cursor;
    }

    /** The page size asked for: default 20, 1 to 100, else a 400. */
    public static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }
}
