package com.activityfeed.feed.social;

import com.activityfeed.kafka.consume.ConsumerRetries;
import com.activityfeed.kafka.consume.ConsumerRetry;
import com.activityfeed.kafka.consume.DeadLetters;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.SocialUpdate;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code social.updates}, one update at a time in partition order: applies each once to
 * the feed's social mirror and relays it on the change log. Only an update that is itself bad (it
 * cannot be read, lacks its payload, or the database refuses its data) goes to the DLQ; any other
 * failure (PostgreSQL restarting or read-only, a deadlock against a fold) is retried for as long as
 * it lasts ({@link ConsumerRetry}), so no outage, however long, dead-letters a valid reaction. The
 * returned Uni never fails; when the service stops mid-retry it never completes, and the update
 * stays unacknowledged for the next owner.
 */
@ApplicationScoped
public class SocialUpdateConsumer {
    public static final String CHANNEL = "social-updates";

    private final SocialUpdateService service;
    private final DeadLetters deadLetters;
    private final ConsumerRetry retry;

    public SocialUpdateConsumer(SocialUpdateService service, DeadLetters deadLetters, ConsumerRetries retries) {
        this.service = service;
        this.deadLetters = deadLetters;
        this.retry = retries.forChannel(CHANNEL);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        return Uni.createFrom().<Void>item(() -> {
                    retry.runOrDeadLetter("applying a social update", record, deadLetters, () -> {
                        SocialUpdate update = MessageCodec.readSocialUpdate(record.value());
                        return service.apply(update);
                    });
                    return null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(ConsumerRetry.Stopped.class).recoverWithUni(() -> Uni.createFrom().nothing());
    }
}
