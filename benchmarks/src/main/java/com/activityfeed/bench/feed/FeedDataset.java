package com.activityfeed.bench.feed;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes the P4 dataset: {@value #TILES} tiles in one tenant, written straight into feed-service's
 * schema with generate_series (the service must have migrated the database first). Tiles are
 * shaped like real ones (six types, 500 actors, 5,000 entities, tags, a JSON body of about
 * 600 bytes, one group in twenty), one per second going back about 11.5 days; a user
 * {@code reader} who read 99.9 % of them and a user {@code follower} following 1,000 targets.
 * Run on its own: {@code FeedDataset <jdbc-url> [user]}.
 */
public final class FeedDataset {
    public static final int TILES = 1_000_000;
    public static final String TENANT = "bench-1m";

    static final String SQL = """
            DELETE FROM tile WHERE tenant_id = '%1$s';
            DELETE FROM read_watermark WHERE tenant_id = '%1$s';
            DELETE FROM tile_read WHERE tenant_id = '%1$s';
            INSERT INTO tenant_seq (tenant_id, last_seq) VALUES ('%1$s', %2$d)
                ON CONFLICT (tenant_id) DO UPDATE SET last_seq = excluded.last_seq;
            INSERT INTO tile (id, tenant_id, kind, type, source, priority, occurred_at, latest_at, count, tags,
                              actor_ids, entity_types, entity_ids, expires_at, content_seq, last_seq, body)
            SELECT md5('%1$s' || g)::uuid, '%1$s', CASE WHEN g %% 20 = 0 THEN 'group' ELSE 'single' END,
                   (ARRAY['badge_earned','xp_rank_up','challenge_completed','streak_milestone','tasks_burst',
                          'all_tasks_cleared'])[1 + g %% 6],
                   CASE WHEN g %% 3 = 0 THEN 'github' ELSE 'api' END,
                   CASE WHEN g %% 50 = 0 THEN 'high' ELSE 'normal' END,
                   ts, ts, CASE WHEN g %% 20 = 0 THEN 3 ELSE 1 END,
                   ARRAY['team-' || (g %% 10)], ARRAY['u' || (g %% 500)], ARRAY['deal'], ARRAY['d' || (g %% 5000)],
                   NULL, g, g,
                   jsonb_build_object('id', md5('%1$s' || g)::uuid, 'kind', 'single', 'type', 'badge_earned',
                       'displayName', 'Badge earned', 'icon', '🏅', 'title', 'Badge earned',
                       'description', 'User ' || (g %% 500) || ' earned Sprint Champion',
                       'occurredAt', to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                       'latestAt', to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'count', 1,
                       'actor', jsonb_build_object('id', 'u' || (g %% 500), 'name', 'User ' || (g %% 500)),
                       'entity', jsonb_build_object('type', 'deal', 'id', 'd' || (g %% 5000), 'name', 'Deal ' || g),
                       'actors', jsonb_build_array(jsonb_build_object('id', 'u' || (g %% 500), 'name', 'User ' || (g %% 500))),
                       'samples', jsonb_build_array(jsonb_build_object('eventId', md5('%1$s' || g)::uuid,
                           'title', 'User earned Sprint Champion')),
                       'source', 'api', 'priority', 'normal', 'tags', jsonb_build_array('team-' || (g %% 10)),
                       'payload', jsonb_build_object('badgeName', 'Sprint Champion', 'xpAwarded', 50))
            FROM generate_series(1, %2$d) g, LATERAL (SELECT now() - make_interval(secs => %2$d - g) AS ts) x;
            -- a reader who read everything up to 99.9%% of the feed and a few tiles above it
            INSERT INTO read_watermark (tenant_id, user_id, seq) VALUES ('%1$s', 'reader', %3$d);
            INSERT INTO tile_read (tenant_id, user_id, tile_id, content_seq)
            SELECT '%1$s', 'reader', md5('%1$s' || g)::uuid, g FROM generate_series(%3$d + 1, %2$d, 7) g;
            -- a user following 1 000 targets (SPEC §8 P4): 10 actors (2 %% of the tiles), 490 deals
            -- (about 10 %%) and 500 actors who never acted; the terms are spelled as migration V70 spells them
            DELETE FROM follow WHERE tenant_id = '%1$s';
            DELETE FROM follow_owner WHERE tenant_id = '%1$s';
            INSERT INTO follow (id, tenant_id, user_id, kind, actor_id, term, origin, created_at)
            SELECT gen_random_uuid(), '%1$s', 'follower', 'actor', a, '%1$s' || chr(31) || 'a' || chr(31) || a, 'manual', now()
            FROM (SELECT 'u' || g AS a FROM generate_series(0, 9) g
                  UNION ALL SELECT 'gone-' || g FROM generate_series(1, 500) g) x;
            INSERT INTO follow (id, tenant_id, user_id, kind, entity_type, entity_id, term, origin, created_at)
            SELECT gen_random_uuid(), '%1$s', 'follower', 'entity', 'deal', 'd' || g,
                   '%1$s' || chr(31) || 'e' || chr(31) || 'deal' || chr(31) || 'd' || g, 'manual', now()
            FROM generate_series(0, 489) g;
            INSERT INTO follow_owner (tenant_id, user_id, changed_at) VALUES ('%1$s', 'follower', now());
            ANALYZE tile;
            ANALYZE tile_read;
            ANALYZE follow;
            """;

    private FeedDataset() {
    }

    public static void create(String jdbcUrl, String user) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, ""); Statement s = c.createStatement()) {
            s.execute(String.format(SQL, TENANT, TILES, TILES - TILES / 1000));
        }
    }

    public static void main(String[] args) throws SQLException {
        long start = System.nanoTime();
        create(args[0], args.length > 1 ? args[1] : "postgres");
        System.out.printf("seeded %d tiles in %.1f s%n", TILES, (System.nanoTime() - start) / 1e9);
    }
}
