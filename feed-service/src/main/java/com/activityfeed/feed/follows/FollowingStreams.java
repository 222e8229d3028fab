package com.activityfeed.feed.follows;

import com.activityfeed.messages.FeedChange;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stream's {@code following=true} filter (SPEC §4a, §5): which tile a change is about and
 * whether that tile matches the user's follows. A change names its tile only by id, so the
 * tile's terms are looked up once per replica and kept with the tenant's change number they were
 * read at: an entry answers for every change up to that number (a tile's terms can only have
 * changed by a later change). Lookups are blocking and batched; the stream asks before it
 * writes ({@link FollowingFilter#ready}) and loads on a worker when the answer is not known yet.
 */
@ApplicationScoped
public class FollowingStreams {
    /** A tile's terms as of a change number; null terms when the tile is gone. */
    record TileTerms(String[] terms, long asOf) {
    }

    private final AgroalDataSource dataSource;
    private final FollowSets follows;
    private final FollowConfig config;
    private final Map<UUID, TileTerms> tiles = new ConcurrentHashMap<>();

    public FollowingStreams(AgroalDataSource dataSource, FollowSets follows, FollowConfig config) {
        this.dataSource = dataSource;
        this.follows = follows;
        this.config = config;
    }

    /** A filter for one stream; it holds nothing until its first {@link FollowingFilter#prepare}. */
    public FollowingFilter open(String tenant, String user) {
        return new FollowingFilter(this, tenant, user);
    }

    FollowSets.Watch watch(String tenant, String user) {
        return follows.watch(tenant, user);
    }

    void unwatch(FollowSets.Watch watch) {
        follows.unwatch(watch);
    }

    TileTerms cached(UUID tileId) {
        return tiles.get(tileId);
    }

    /** Reads the terms of the given tiles of {@code tenant} in one statement, with the change number they are valid for. */
    void load(String tenant, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Set<UUID> unique = new LinkedHashSet<>(ids);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT q.id, t.terms, (SELECT s.last_seq FROM tenant_seq s WHERE s.tenant_id = ?)
                     FROM unnest(?::uuid[]) AS q(id) LEFT JOIN tile t ON t.id = q.id AND t.tenant_id = ?""")) {
            ps.setString(1, tenant);
            ps.setArray(2, c.createArrayOf("uuid", unique.toArray()));
            ps.setString(3, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (tiles.size() + unique.size() > config.tileCache()) {
                    tiles.clear();
                }
                while (rs.next()) {
                    java.sql.Array terms = rs.getArray(2);
                    tiles.put(rs.getObject(1, UUID.class),
                            new TileTerms(terms == null ? null : (String[]) terms.getArray(), rs.getLong(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the terms of tiles of " + tenant, e);
        }
    }

    /** Whether the stream's following filter has to look at this change's tile at all. */
    static boolean aboutTile(FeedChange change) {
        return change.tileId() != null && change.seq() > 0 && change.event() != null
                && !change.event().startsWith("chat.");
    }
}
