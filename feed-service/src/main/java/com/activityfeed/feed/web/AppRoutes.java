package com.activityfeed.feed.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web client lives in {@code META-INF/resources/app/}: {@code /app/} serves its index page,
 * and {@code /app} redirects there so that the page's relative module paths resolve under /app/.
 */
@ApplicationScoped
public class AppRoutes {
    void install(@Observes Router router) {
        router.get("/app").order(Integer.MIN_VALUE).handler(ctx -> {
            if (!"/app".equals(ctx.request().path())) {
                ctx.next();
                return;
            }
            String query = ctx.request().query();
            ctx.response()
                    .setStatusCode(301)
                    .putHeader("Location", query == null ? "/app/" : "/app/?" + query)
                    .end();
        });
    }
}
