package com.activityfeed.feed.tiles;

import com.activityfeed.web.ProblemException;

import java.util.UUID;

/** Query and path parameters parsed by hand, so a bad value is a 400 problem, not a 404. */
public final class Params {
    private Params() {
    }

    public static int limit(String value, int defaultValue, int max) {
        if (value == null) {
            return defaultValue;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("limit must be a whole number from 1 to " + max);
    }

    /** A path's id; a value that is not one names nothing, so it is answered 404 like an unknown id. */
    public static UUID id(String value, String what) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no " + what + " " + value);
        }
    }

    public static boolean ascending(String order) {
        if (order == null || order.equals("desc")) {
            return false;
        }
        if (order.equals("asc")) {
            return true;
        }
        throw ProblemException.badRequest("order must be asc or desc");
    }

    /** {@code sort=activity} orders by (latestAt, id); absent or {@code occurred} keeps (occurredAt, id). */
    public static boolean activity(String sort) {
        if (sort == null || sort.equals("occurred")) {
            return false;
        }
        if (sort.equals("activity")) {
            return true;
        }
        throw ProblemException.badRequest("sort must be activity or occurred");
    }
}
