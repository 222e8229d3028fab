package com.activityfeed.feed.tiles;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code following=true} checked row by row, as a walk in the feed's order checks it: "one of the
 * tile's terms is one of the user's follow terms" (SPEC §4a). A follow names an actor, an entity
 * or a type, and a single tile holds one of each, so for it the check is three lookups of its own
 * columns in hashes of the followed values ({@code = ANY} of a constant array, which PostgreSQL
 * hashes from nine values up): no array of terms unnested per row. A group with several actors,
 * entity types or entity ids is checked term by term as before, against every follow term.
 *
 * <p>The values are compared without their tenant: the walk reads one tenant's tiles only, and a
 * term of another tenant (which {@code FollowService} never hands over) is left out, as it could
 * never match.
 */
final class FollowMatch {
    private FollowMatch() {
    }

    static void appendTo(StringBuilder sql, List<Object> params, String tenant, String[] followTerms) {
        String prefix = tenant + Terms.SEPARATOR;
        List<String> types = new ArrayList<>();
        List<String> actors = new ArrayList<>();
        List<String> entities = new ArrayList<>();
        for (String term : followTerms) {
            int kindEnd = term.startsWith(prefix) ? term.indexOf(Terms.SEPARATOR, prefix.length()) : -1;
            if (kindEnd < 0) {
                continue;
            }
            String value = term.substring(kindEnd + 1);
            switch (term.substring(prefix.length(), kindEnd)) {
                case Terms.TYPE -> types.add(value);
                case Terms.ACTOR -> actors.add(value);
                case Terms.ENTITY -> entities.add(value);
                default -> {
                    // no follow names another kind; checked term by term should one ever do
                    sql.append(" AND EXISTS (SELECT 1 FROM unnest(t.terms) m WHERE m = ANY(?::text[]))");
                    params.add(followTerms);
                    return;
                }
            }
        }
        sql.append(" AND (t.type = ANY(?::text[]) OR t.actor_ids[1] = ANY(?::text[])")
                .append(" OR (t.entity_types[1] || chr(31) || t.entity_ids[1]) = ANY(?::text[])")
                .append(" OR ((cardinality(t.actor_ids) > 1 OR cardinality(t.entity_types) > 1 OR cardinality(t.entity_ids) > 1)")
                .append(" AND EXISTS (SELECT 1 FROM unnest(t.terms) m WHERE m = ANY(?::text[]))))");
        params.add(types.toArray(String[]::new));
        params.add(actors.toArray(String[]::new));
        params.add(entities.toArray(String[]::new));
        params.add(followTerms);
    }
}
