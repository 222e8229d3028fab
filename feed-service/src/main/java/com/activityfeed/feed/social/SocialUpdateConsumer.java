package com.activityfeed.feed.social;

import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.SocialUpdate;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code social.updates}, one update at a time in partition order: applies each once to
 * the feed's social mirror and relays it on the change log. A message that cannot be read goes to
 * the DLQ at once. Any other failure (PostgreSQL restarting, a deadlock against a fold) is retried
 * with back-off for {@link SocialRelayConfig#retryFor()} before the update is dead-lettered, so a
 * short database outage loses no reaction.
 */
@ApplicationScoped
public class SocialUpdateConsumer {
    public static final String CHANNEL = "social-updates";
    private static final Logger LOG = Logger.getLogger(SocialUpdateConsumer.class);

    private final SocialUpdateService service;
    private final SocialRelayConfig config;

    public SocialUpdateConsumer(SocialUpdateService service, SocialRelayConfig config) {
        this.service = service;
        this.config = config;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(String value) {
        SocialUpdate update;
        try {
            update = MessageCodec.readSocialUpdate(value);
        } catch (MessageCodec.MalformedMessageException e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().item(() -> {
                    service.apply(update);
                    return (Void) null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(e -> !(e instanceof MessageCodec.MalformedMessageException))
                .invoke(e -> LOG.warnf("applying social update %s failed, retrying: %s", update.id(), e.toString()))
                .onFailure(e -> !(e instanceof MessageCodec.MalformedMessageException))
                .retry().withBackOff(config.retryBackoff(), config.retryBackoffMax()).expireIn(config.retryFor().toMillis());
    }
}
