package com.activityfeed.messages;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reaction totals of one tile, by type. */
public record ReactionCounts(long hype, long respect, long tribute) {
    public static final ReactionCounts ZERO = new ReactionCounts(0, 0, 0);

    /**
     * The totals in rows of (type, count), as {@code SELECT type, count(*) … GROUP BY type} answers
     * them in either service's database; a type this version does not know is ignored.
     */
    public static ReactionCounts fromRows(ResultSet rows) throws SQLException {
        long hype = 0;
        long respect = 0;
        long tribute = 0;
        while (rows.next()) {
            switch (rows.getString(1)) {
                case "hype" -> hype = rows.getLong(2);
                case "respect" -> respect = rows.getLong(2);
                case "tribute" -> tribute = rows.getLong(2);
                default -> {
                }
            }
        }
        return new ReactionCounts(hype, respect, tribute);
    }
}
