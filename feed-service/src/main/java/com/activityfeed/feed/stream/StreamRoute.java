package com.activityfeed.feed.stream;

import com.activityfeed.feed.follows.FollowingStreams;
import com.activityfeed.web.Caller;
import com.activityfeed.web.EmptyQueryParameters;
import com.activityfeed.web.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/feed/stream} (SPEC §5) on Vert.x directly, for control over buffering and
 * back-pressure. Accepts a Bearer token, a one-time {@code ?ticket=}, or the stream cookie the
 * ticket endpoint set (so a standard EventSource's automatic reconnect with its used ticket
 * resumes), all three through Quarkus security; refusals are problem+json before the stream starts.
 */
@ApplicationScoped
public class StreamRoute {
    static final String PATH = "/api/v1/feed/stream";
    private static final Logger LOG = Logger.getLogger(StreamRoute.class);
    private static final Pattern TYPE = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");

    private final StreamHub hub;
    private final ChangeReplay replay;
    private final StreamConfig config;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final FollowingStreams following;

    public StreamRoute(StreamHub hub, ChangeReplay replay, StreamConfig config, ObjectMapper mapper, Vertx vertx,
                       FollowingStreams following) {
        this.hub = hub;
        this.replay = replay;
        this.config = config;
        this.mapper = mapper;
        this.vertx = vertx;
        this.following = following;
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(this::handle);
        router.route(PATH).handler(rc -> {
            rc.response().putHeader("Allow", "GET");
            problem(rc, 405, "Method Not Allowed", "method not allowed here", null);
        });
    }

    /**
     * The caller comes from Quarkus security like on every other endpoint: a bearer token
     * ({@code JwtAuthenticationMechanism}) or a ticket or the stream cookie
     * ({@link StreamTicketAuthenticationMechanism}); this route only turns the outcome into the
     * stream's refusals, problem+json before the stream starts.
     */
    private void handle(RoutingContext rc) {
        Context context = Vertx.currentContext();
        Uni<SecurityIdentity> identity = QuarkusHttpUser.getSecurityIdentity(rc, null);
        if (identity == null) { // no security handler on this router: never expected, but never open anonymously
            unauthorized(rc, "a bearer token, a stream ticket or the stream cookie is required");
            return;
        }
        // Quarkus' default failure handler would answer a refusal itself (a bare challenge) before
        // the subscriber below writes its problem+json: this route answers every refusal itself
        rc.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (ctx, failure) -> {
        });
        // a ticket is checked on a worker thread; the stream is written from the request's own context
        identity.emitOn(task -> context.runOnContext(v -> task.run())).subscribe().with(
                caller -> {
                    // the resolved identity is all the stream needs: the deferred one, a chain of
                    // operators each holding captured context, would otherwise live as long as the stream
                    rc.remove(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
                    if (caller == null || caller.isAnonymous()) {
                        unauthorized(rc, "a bearer token, a stream ticket or the stream cookie is required");
                    } else {
                        open(rc, Caller.of(caller));
                    }
                },
                failure -> refused(rc, failure));
    }

    private void refused(RoutingContext rc, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamTicketAuthenticationMechanism.TicketsUnavailableException) {
                problem(rc, 503, "Service unavailable", cause.getMessage(), 1L);
                return;
            }
            if (cause instanceof AuthenticationFailedException || cause instanceof UnauthorizedException) {
                String detail = cause.getMessage();
                unauthorized(rc, detail == null || detail.isBlank() ? "a valid bearer token is required" : detail);
                return;
            }
        }
        LOG.error("stream authentication failed unexpectedly", failure);
        problem(rc, 500, "Internal error", "the request could not be completed", null);
    }

    private void open(RoutingContext rc, Caller caller) {
        if (rc.response().closed()) {
            return;
        }
        if (!caller.hasRole(Caller.READER) && !caller.hasRole(Caller.ADMIN)) {
            problem(rc, 403, "Forbidden", "the token's roles do not allow this", null);
            return;
        }
        Set<String> types;
        boolean followed;
        try {
            types = types(rc.request());
            followed = following(rc.request());
        } catch (IllegalArgumentException e) {
            problem(rc, 400, "Bad request", e.getMessage(), null);
            return;
        }
        if (!hub.reserve(caller.tenant(), caller.userId())) {
            problem(rc, 429, "Too many requests", "at most " + config.maxConnectionsPerUser()
                    + " streams per user at once", config.retryMillis() / 1000 + 1);
            return;
        }
        HttpServerResponse response = rc.response();
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                .setWriteQueueMaxSize(config.writeQueueBytes());
        Context context = Vertx.currentContext();
        new Subscription(hub, replay, config, vertx, context, rc.request(), caller.tenant(), caller.userId(), types,
                followed ? following.open(caller.tenant(), caller.userId()) : null)
                .open(lastEventId(rc.request()).orElse(null));
    }

    private static Optional<String> lastEventId(HttpServerRequest request) {
        String id = request.getHeader("Last-Event-ID");
        if (id == null || id.isBlank()) {
            id = request.getParam("lastEventId");
        }
        return Optional.ofNullable(id).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** {@code following=true|false} (SPEC §4a). */
    private static boolean following(HttpServerRequest request) {
        String value = request.getParam("following");
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new IllegalArgumentException("following must be true or false");
    }

    /** The {@code types} filter: repeated or comma-separated names; null when absent. */
    private Set<String> types(HttpServerRequest request) {
        Set<String> types = new LinkedHashSet<>();
        for (String value : request.params().getAll("types")) {
            for (String type : value.split(",", -1)) {
                String name = type.trim();
                if (name.isEmpty()) {
                    // as on the feed's REST endpoints: an empty value is not taken for "no filter"
                    throw new IllegalArgumentException(EmptyQueryParameters.refusal("types"));
                }
                if (!TYPE.matcher(name).matches()) {
                    throw new IllegalArgumentException("types: '" + truncate(name) + "' is not a valid event type");
                }
                types.add(name);
            }
        }
        if (types.size() > config.maxTypes()) {
            throw new IllegalArgumentException("types: at most " + config.maxTypes() + " types");
        }
        return types.isEmpty() ? null : Set.copyOf(types);
    }

    private void unauthorized(RoutingContext rc, String detail) {
        if (rc.response().headWritten()) {
            return;
        }
        rc.response().putHeader("WWW-Authenticate", "Bearer");
        problem(rc, 401, "Unauthorized", detail, null);
    }

    private void problem(RoutingContext rc, int status, String title, String detail, Long retryAfterSeconds) {
        HttpServerResponse response = rc.response();
        if (response.closed() || response.ended()) {
            return;
        }
        if (retryAfterSeconds != null) {
            response.putHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        try {
            response.setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(mapper.writeValueAsString(Problem.of(status, title, detail)));
        } catch (JsonProcessingException e) {
            response.setStatusCode(500).end();
        }
    }

    private static String truncate(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
