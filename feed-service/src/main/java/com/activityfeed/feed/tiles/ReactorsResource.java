package com.activityfeed.feed.tiles;

import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who reacted to a tile, per reaction type ({@code {hype: [userId…], respect: […], tribute: […]}},
 * at most {@value #MAX_PER_TYPE} each): the web client shows it when the reader hovers a count.
 * Read from the feed's mirror of social-service's reactions, so it is the tile's tenant only.
 */
@Path("/api/v1/feed/tiles/{id}/reactions")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Caller.READER, Caller.ADMIN})
public class ReactorsResource {
    static final int MAX_PER_TYPE = 20;
    private static final List<String> TYPES = List.of("hype", "respect", "tribute");

    private final AgroalDataSource dataSource;
    private final SecurityIdentity identity;

    public ReactorsResource(AgroalDataSource dataSource, SecurityIdentity identity) {
        this.dataSource = dataSource;
        this.identity = identity;
    }

    @GET
    public Map<String, List<String>> reactors(@PathParam("id") String id) {
        Caller caller = Caller.of(identity);
        UUID tileId = Params.id(id, "tile");
        Map<String, List<String>> answer = new LinkedHashMap<>();
        TYPES.forEach(t -> answer.put(t, new ArrayList<>()));
        try (Connection c = dataSource.getConnection()) {
            UUID resolved = TileAliases.resolve(c, caller.tenant(), tileId);
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM tile WHERE id = ? AND tenant_id = ?")) {
                exists.setObject(1, resolved);
                exists.setString(2, caller.tenant());
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound("no tile " + id);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT type, user_id FROM (
                        SELECT type, user_id, row_number() OVER (PARTITION BY type ORDER BY user_id) AS n
                        FROM tile_reaction WHERE tile_id = ? AND tenant_id = ?) r
                    WHERE n <= ? ORDER BY type, user_id""")) {
                ps.setObject(1, resolved);
                ps.setString(2, caller.tenant());
                ps.setInt(3, MAX_PER_TYPE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> users = answer.get(rs.getString(1));
                        if (users != null) {
                            users.add(rs.getString(2));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the reactions of tile " + id, e);
        }
        return answer;
    }
}
