package com.activityfeed.messages;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#parse} and {@link Instant#toString} for the one form every record and tile
 * carries, {@code 2026-11-28T20:46:25.302050Z}, without the general formatter. The feed parses and
 * writes several instants per consumed event (the record's times, each group sample's time when a
 * group grows, the tile JSON), and the general formatter spent a hash map per parse: a sixth of
 * the consumer thread's CPU while it consumed a backlog. Any other text (an offset, a lower-case
 * {@code t}, a year outside 0000–9999, a leap second, a date that does not exist) goes to
 * {@link Instant#parse}, so what is accepted, refused and answered is exactly what it would be.
 */
public final class IsoInstants {
    private static final int MIN_LENGTH = "2026-01-01T00:00:00Z".length();
    private static final int MAX_LENGTH = "2026-01-01T00:00:00.123456789Z".length();
    /** Nanoseconds per unit of the last digit of a fraction of that many digits. */
    private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the seconds the four-digit years cover. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long LAST_SECOND = 253_402_300_799L;

    private IsoInstants() {
    }

    /** As {@link Instant#parse(CharSequence)}, the same results and the same exceptions. */
    public static Instant parse(String text) {
        Instant fast = text == null ? null : parseCanonical(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** As {@link Instant#toString()}: seconds always, the fraction in groups of three digits. */
    public static String format(Instant at) {
        long seconds = at.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return at.toString(); // a signed or longer year (LocalDateTime cannot even hold Instant.MAX's)
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        int nano = at.getNano();
        int digits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        char[] out = new char[MIN_LENGTH + (digits == 0 ? 0 : digits + 1)];
        put(out, 0, t.getYear(), 4);
        out[4] = '-';
        put(out, 5, t.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, t.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, t.getHour(), 2);
        out[13] = ':';
        put(out, 14, t.getMinute(), 2);
        out[16] = ':';
        put(out, 17, t.getSecond(), 2);
        if (digits > 0) {
            out[19] = '.';
            put(out, 20, nano / SCALE[digits], digits);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    /** The instant of the canonical form, or null for any other text (for the general parser). */
    public static Instant parseCanonical(String s) {
        int n = s.length();
        if (n < MIN_LENGTH || n > MAX_LENGTH || n == MIN_LENGTH + 1 || s.charAt(n - 1) != 'Z'
                || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int nano = 0;
        if (n > MIN_LENGTH) {
            int fraction = n - MIN_LENGTH - 1; // between the '.' and the 'Z': 1 to 9 digits
            int value = digits(s, 20, fraction);
            if (s.charAt(19) != '.' || value < 0) {
                return null;
            }
            nano = value * SCALE[fraction];
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // no such date: Instant.parse says so in its own words
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nano);
    }

    /** The number written by {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static void put(char[] out, int from, int value, int count) {
        for (int i = from + count - 1; i >= from; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
