package com.activityfeed.ingest.limits;

import com.activityfeed.web.Problem;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses bodies over 1 MiB (SPEC §3) before they are read, as problem+json: a declared
 * Content-Length over the limit is answered at once. Bodies without a length (chunked) are
 * counted by Quarkus against {@code quarkus.http.limits.max-body-size}, whose bare 413 the
 * failure handler below rewrites as problem+json.
 */
@ApplicationScoped
public class BodyLimitFilter {
    public static final long MAX_BODY_BYTES = 1024 * 1024;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && tooLarge(length)) {
                // Close the connection: the client may still be sending the body we will not read.
                ctx.response().putHeader("Connection", "close");
                tooLarge(ctx);
                return;
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

    private static boolean tooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return false; // Vert.x itself refuses a malformed length
        }
    }

    private static void tooLarge(io.vertx.ext.web.RoutingContext ctx) {
        JsonObject problem = new JsonObject()
                .put("type", "https://activity-feed.dev/problems/413")
                .put("title", "Content too large")
                .put("status", 413)
                .put("detail", "the request body is larger than 1 MiB (1048576 bytes)");
        ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.encode());
    }
}
