package com.activityfeed.feed.stats;

import com.activityfeed.feed.tiles.FeedFilter;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

@Path("/api/v1/feed/stats")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Caller.READER, Caller.ADMIN})
public class StatsResource {
    static final Duration DEFAULT_RANGE = Duration.ofDays(84);

    private final StatsService stats;
    private final StatsConfig config;
    private final SecurityIdentity identity;

    public StatsResource(StatsService stats, StatsConfig config, SecurityIdentity identity) {
        this.stats = stats;
        this.config = config;
        this.identity = identity;
    }

    @GET
    public StatsService.Stats stats(@QueryParam("from") String from, @QueryParam("to") String to,
                                    @QueryParam("tz") String tz, @QueryParam("actorId") String actorId) {
        Caller caller = Caller.of(identity);
        Instant end = to == null ? Instant.now().truncatedTo(ChronoUnit.MICROS) : FeedFilter.time("to", to);
        Instant start = from == null ? end.minus(DEFAULT_RANGE) : FeedFilter.time("from", from);
        if (!start.isBefore(end)) {
            throw ProblemException.badRequest("from must be before to");
        }
        if (Duration.between(start, end).compareTo(config.maxRange()) > 0) {
            throw ProblemException.badRequest("from..to spans at most " + config.maxRange().toDays() + " days");
        }
        ZoneId zone;
        try {
            zone = tz == null ? ZoneId.of("UTC") : ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw ProblemException.badRequest("tz must be an IANA time zone such as Europe/Berlin");
        }
        if (actorId != null && (actorId.isEmpty() || actorId.length() > 128)) {
            throw ProblemException.badRequest("actorId must be 1 to 128 characters");
        }
        String actor = "me".equals(actorId) ? caller.userId() : actorId;
        return stats.stats(new StatsService.Query(caller.tenant(), start, end, zone, actor));
    }
}
