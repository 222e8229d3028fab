package com.activityfeed.feed.tiles;

import com.activityfeed.web.ProblemException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Opaque keyset cursors: base64url of a versioned position, refused with a 400 when tampered with. */
public final class Cursors {
    private Cursors() {
    }

    /**
     * A position in the feed: the last tile's sort key and id, and the order it was read in. The key
     * is {@code occurredAt} for the default order and {@code latestAt} for {@code sort=activity}; a
     * keyset position needs no state on the server, so it stays valid while tiles move.
     */
    public record FeedPosition(boolean ascending, Instant occurredAt, UUID id) {
    }

    public static String feed(FeedPosition p) {
        return feed(p, false);
    }

    public static String feed(FeedPosition p, boolean activity) {
        return encode((activity ? "f2|" : "f1|") + (p.ascending() ? "a" : "d") + "|" + p.occurredAt() + "|" + p.id());
    }

    public static FeedPosition feed(String cursor, boolean ascending) {
        return feed(cursor, ascending, false);
    }

    /** Reads a feed cursor; one made for the other sort or order is refused, not misread. */
    public static FeedPosition feed(String cursor, boolean ascending, boolean activity) {
        String[] parts = decode(cursor).split("\\|");
        if (parts.length != 4 || !(parts[0].equals("f1") || parts[0].equals("f2"))
                || !(parts[1].equals("a") || parts[1].equals("d"))) {
            throw bad();
        }
        if (parts[0].equals("f2") != activity) {
            throw ProblemException.badRequest("the cursor belongs to the other sort");
        }
        if (parts[1].equals("a") != ascending) {
            throw ProblemException.badRequest("the cursor belongs to the other order");
        }
        try {
            return new FeedPosition(ascending, Instant.parse(parts[2]), UUID.fromString(parts[3]));
        } catch (RuntimeException e) {
            throw bad();
        }
    }

    /** A position in the arrival-ordered raw event log. */
    public static String log(long pos) {
        return encode("e1|" + pos);
    }

    public static long log(String cursor) {
        String[] parts = decode(cursor).split("\\|");
        if (parts.length != 2 || !parts[0].equals("e1")) {
            throw bad();
        }
        try {
            long pos = Long.parseLong(parts[1]);
            if (pos < 0) {
                throw bad();
            }
            return pos;
        } catch (NumberFormatException e) {
            throw bad();
        }
    }

    /** A position in an entity's timeline: the last event's (occurredAt, id). */
    public static String timeline(Instant occurredAt, UUID id) {
        return encode("t1|" + occurredAt + "|" + id);
    }

    public static FeedPosition timeline(String cursor) {
        String[] parts = decode(cursor).split("\\|");
        if (parts.length != 3 || !parts[0].equals("t1")) {
            throw bad();
        }
        try {
            return new FeedPosition(true, Instant.parse(parts[1]), UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw bad();
        }
    }

    /** Whether {@code value} looks like a cursor of ours rather than a time. */
    public static boolean isCursor(String value) {
        try {
            String s = decode(value);
            return s.startsWith("e1|") || s.startsWith("t1|") || s.startsWith("f1|") || s.startsWith("f2|");
        } catch (ProblemException e) {
            return false;
        }
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > 200) {
            throw bad();
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad();
        }
    }

    private static ProblemException bad() {
        return ProblemException.badRequest("the cursor is not valid");
    }
}
