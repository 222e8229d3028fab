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

/**
 * Refuses bodies over 1 MiB (SPEC §3) as problem+json. A declared Content-Length over the limit
 * is answered at once, unread. Other bodies (chunked ones too) are collected here, counting
 * bytes, and handed to the resource; past the limit the collection fails with 413, which the
 * failure handler writes as problem+json (the framework's own 413 would have no body).
 */
@ApplicationScoped
public class BodyLimitFilter {
    public static final long MAX_BODY_BYTES = 1024 * 1024;

    private final BodyHandler collector = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && tooLarge(length)) {
                // Close the connection: the client may still be sending the body we will not read.
                ctx.response().putHeader("Connection", "close");
                tooLarge(ctx);
                return;
            }
            if (collected(ctx)) {
                // Collected on the event loop: cheaper than the resource reading a blocking stream,
                // and a streamed body over the limit fails here with a 413 we can write.
                collector.handle(ctx);
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
                tooLarge(ctx);
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

    private static boolean tooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return false; // Vert.x itself refuses a malformed length
        }
    }

    private static void tooLarge(RoutingContext ctx) {
        JsonObject problem = new JsonObject()
                .put("type", "https://activity-feed.dev/problems/413")
                .put("title", "Content too large")
                .put("status", 413)
                .put("detail", "the request body is larger than 1 MiB (1048576 bytes)");
        ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.encode());
    }
}
