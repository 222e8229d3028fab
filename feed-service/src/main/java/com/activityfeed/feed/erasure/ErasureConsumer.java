package com.activityfeed.feed.erasure;

import com.activityfeed.feed.stream.StreamHub;
import com.activityfeed.messages.ErasureRequest;
import com.activityfeed.messages.ErasureResult;
import com.activityfeed.messages.MessageCodec;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code erasure.requests} (feed-service's part; the open streams of the person or tenant
 * on this replica are closed after commit) and {@code erasure.results} (the other services' reports).
 * A failure is retried with back-off for {@link ErasureConfig#retryFor()}; after that the request
 * stays pending and is re-sent ({@link ErasureConfig#resendAfter()}), so nothing is lost.
 */
@ApplicationScoped
public class ErasureConsumer {
    public static final String REQUESTS = "erasure-requests";
    public static final String RESULTS = "erasure-results";
    private static final Logger LOG = Logger.getLogger(ErasureConsumer.class);

    private final ErasureHandler handler;
    private final ErasureService erasures;
    private final StreamHub hub;
    private final ErasureConfig config;

    public ErasureConsumer(ErasureHandler handler, ErasureService erasures, StreamHub hub, ErasureConfig config) {
        this.handler = handler;
        this.erasures = erasures;
        this.hub = hub;
        this.config = config;
    }

    @Incoming(REQUESTS)
    public Uni<Void> request(String value) {
        ErasureRequest request;
        try {
            request = MessageCodec.readErasureRequest(value);
        } catch (MessageCodec.MalformedMessageException e) {
            LOG.errorf("unreadable erasure request skipped: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return retried(Uni.createFrom().item(() -> {
            handler.apply(request);
            int closed = hub.close(request.tenantId(), request.wholeTenant() ? null : request.userId());
            if (closed > 0) {
                LOG.infof("erasure %s: %d open streams closed", request.id(), closed);
            }
            return (Void) null;
        }), "erasure " + request.id());
    }

    @Incoming(RESULTS)
    public Uni<Void> result(String value) {
        ErasureResult result;
        try {
            result = MessageCodec.readErasureResult(value);
        } catch (MessageCodec.MalformedMessageException e) {
            LOG.errorf("unreadable erasure result skipped: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return retried(Uni.createFrom().item(() -> {
            erasures.serviceDone(result.id(), result.service(), result.completedAt());
            return (Void) null;
        }), "erasure result " + result.id());
    }

    private Uni<Void> retried(Uni<Void> work, String what) {
        return work.runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().invoke(e -> LOG.warnf("%s failed, retrying: %s", what, e.toString()))
                .onFailure().retry().withBackOff(config.retryBackoff(), config.retryBackoffMax())
                .expireIn(config.retryFor().toMillis())
                .onFailure().invoke(e -> LOG.errorf("%s failed for %s; it stays pending and is re-sent: %s", what,
                        config.retryFor(), e.toString()));
    }
}
