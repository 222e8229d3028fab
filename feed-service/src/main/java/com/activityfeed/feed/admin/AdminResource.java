package com.activityfeed.feed.admin;

import com.activityfeed.feed.housekeeping.HousekeepingService;
import com.activityfeed.feed.tiles.Params;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.time.Instant;

/** Operations (role admin): processing is continuous, so seed 000's manual drain becomes these. */
@Path("/api/v1/feed/admin")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Caller.ADMIN)
public class AdminResource {
    public static final int MAX_REDRIVE = 1000;

    private final AdminService admin;
    private final RebuildService rebuild;
    private final HousekeepingService housekeeping;
    private final SecurityIdentity identity;

    public AdminResource(AdminService admin, RebuildService rebuild, HousekeepingService housekeeping,
                         SecurityIdentity identity) {
        this.admin = admin;
        this.rebuild = rebuild;
        this.housekeeping = housekeeping;
        this.identity = identity;
    }

    @GET
    @Path("/consumer-lag")
    public AdminService.Lag lag() {
        return kafka(admin::consumerLag);
    }

    @GET
    @Path("/dlq")
    public AdminService.Lag dlq() {
        return kafka(admin::dlqDepth);
    }

    @POST
    @Path("/dlq/redrive")
    public AdminService.Redriven redrive(@QueryParam("limit") String limit) {
        int max = Params.limit(limit, 100, MAX_REDRIVE);
        return kafka(() -> admin.redrive(max));
    }

    /** Rebuilds the caller's tenant from its raw event log. */
    @POST
    @Path("/rebuild")
    public RebuildService.Rebuilt rebuild() {
        return rebuild.rebuild(Caller.of(identity).tenant());
    }

    public record Housekept(int expired, int pruned) {
    }

    /** Runs housekeeping now instead of waiting for the scheduler. */
    @POST
    @Path("/housekeeping")
    public Housekept housekeep() {
        int expired = 0;
        int n;
        while ((n = housekeeping.expireDue(Instant.now())) > 0) {
            expired += n;
        }
        return new Housekept(expired, housekeeping.pruneChanges(Instant.now()));
    }

    private static <T> T kafka(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (AdminService.KafkaUnavailable e) {
            throw ProblemException.unavailable("Kafka is not reachable", Duration.ofSeconds(5));
        }
    }
}
