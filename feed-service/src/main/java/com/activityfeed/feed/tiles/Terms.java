package com.activityfeed.feed.tiles;

/**
 * A tile's filterable values as "terms": tenant, kind and value joined by U+001F, a character no
 * identifier may hold (SPEC §3). The same spelling as {@code feed_tile_terms} in migration V70,
 * which fills {@code tile.terms}; follows are stored as terms too. The tenant inside every term is
 * what keeps another tenant's actor or entity from ever matching.
 */
public final class Terms {
    public static final String TYPE = "t";
    public static final String SOURCE = "s";
    public static final String PRIORITY = "p";
    public static final String TAG = "g";
    public static final String ACTOR = "a";
    public static final String ENTITY_TYPE = "et";
    public static final String ENTITY_ID = "ei";
    public static final String ENTITY = "e";
    static final char SEPARATOR = '\u001f';

    private Terms() {
    }

    public static String of(String tenant, String kind, String value) {
        return tenant + SEPARATOR + kind + SEPARATOR + value;
    }

    public static String actor(String tenant, String actorId) {
        return of(tenant, ACTOR, actorId);
    }

    public static String type(String tenant, String type) {
        return of(tenant, TYPE, type);
    }

    public static String entity(String tenant, String entityType, String entityId) {
        return of(tenant, ENTITY, entityType + SEPARATOR + entityId);
    }
}
