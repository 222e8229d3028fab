package com.activityfeed.ingest.limits;

import com.activityfeed.web.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Refuses bodies over 1 MiB (SPEC §3) as problem+json; webhook routes take up to 25 MiB, as
 * GitHub sends deliveries up to 25 MB (SPEC §3: a webhook never refuses what its source sends). A declared Content-Length over the limit
 * is answered at once, unread. Other bodies (chunked ones too) are collected here, counting
 * bytes, and handed to the resource; past the limit the collection fails with 413, which the
 * failure handler writes as problem+json (the framework's own 413 would have no body).
 */
@ApplicationScoped
public class BodyLimitFilter {
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    public static final long MAX_WEBHOOK_BODY_BYTES = 25L * 1024 * 1024;
    static final String WEBHOOKS = "/api/v1/webhooks/";
    private static final Logger LOG = Logger.getLogger(BodyLimitFilter.class);

    private final BodyHandler collector = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    // Form-encoded bodies are decoded while collected; quarkus.http.limits.max-form-attribute-size
    // lets one attribute (GitHub's payload=...) be as large as the body.
    private final BodyHandler webhookCollector = BodyHandler.create(false).setBodyLimit(MAX_WEBHOOK_BODY_BYTES);

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            long limit = limit(ctx);
            if (length != null && tooLarge(length, limit)) {
                // Close the connection: the client may still be sending the body we will not read.
                ctx.response().putHeader("Connection", "close");
                tooLarge(ctx, limit);
                return;
            }
            if (collected(ctx)) {
                // Collected on the event loop: cheaper than the resource reading a blocking stream,
                // and a streamed body over the limit fails here with a 413 we can write.
                (limit == MAX_BODY_BYTES ? collector : webhookCollector).handle(ctx);
                return;
            }
            ctx.next();
        });
        router.route().order(Integer.MIN_VALUE + 2).handler(ctx -> {
            // An empty body leaves no buffer behind; give the resource an empty one to read,
            // or it would wait for a body the collector already consumed.
            if (collected(ctx) && ctx.body().buffer() == null) {
                ctx.setBody(Buffer.buffer());
            }
            ctx.next();
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                tooLarge(ctx, limit(ctx));
            } else if (ctx.statusCode() == 400 && !ctx.response().headWritten()) {
                // The body could not be collected (a malformed form encoding, a form field the decoder
                // refuses): say so as a problem, never the framework's bare JSON error.
                LOG.infof("%s %s: unreadable request body (%s): %s", ctx.request().method(), ctx.request().path(),
                        ctx.request().getHeader("Content-Type"),
                        ctx.failure() == null ? "no detail" : ctx.failure().toString());
                JsonObject problem = new JsonObject()
                        .put("type", "https://activity-feed.dev/problems/400")
                        .put("title", "Bad request")
                        .put("status", 400)
                        .put("detail", "the request body could not be read as its Content-Type says");
                ctx.response().setStatusCode(400).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.encode());
            } else {
                ctx.next();
            }
        });
    }

    /**
     * HTTP/1.x bodies only: over HTTP/2 the REST layer cannot take a body already read (it pauses
     * the ended stream), so there it reads the body itself, bounded by max-body-size; a stream over
     * the limit without Content-Length then gets the framework's bare 413.
     */
    private static boolean collected(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        return ctx.request().version() != HttpVersion.HTTP_2
                && (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH);
    }

    /** Webhook routes take what their sources send; everything else the events limit. */
    static long limit(RoutingContext ctx) {
        String path = ctx.request().path();
        return path != null && path.startsWith(WEBHOOKS) ? MAX_WEBHOOK_BODY_BYTES : MAX_BODY_BYTES;
    }

    private static boolean tooLarge(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // Vert.x itself refuses a malformed length
        }
    }

    private static void tooLarge(RoutingContext ctx, long limit) {
        JsonObject problem = new JsonObject()
                .put("type", "https://activity-feed.dev/problems/413")
                .put("title", "Content too large")
                .put("status", 413)
                .put("detail", "the request body is larger than " + (limit / 1024 / 1024) + " MiB (" + limit + " bytes)");
        ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.encode());
    }
}
