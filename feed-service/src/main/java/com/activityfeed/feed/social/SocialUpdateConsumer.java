package com.activityfeed.feed.social;

import com.activityfeed.kafka.consume.ConsumerRetries;
import com.activityfeed.kafka.consume.ConsumerRetry;
import com.activityfeed.kafka.consume.DeadLetters;
import com.activityfeed.kafka.tracing.KafkaTracing;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.messages.Topics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
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
 *
 * <p>Tracing: an update that carries a {@code traceparent} header (social's relay span) is applied
 * inside a {@code process social.updates} span, made current, so the change it appends to the log
 * continues the trace of the social request ({@link com.activityfeed.feed.changes.TenantLog}).
 */
@ApplicationScoped
public class SocialUpdateConsumer {
    public static final String CHANNEL = "social-updates";

    private final SocialUpdateService service;
    private final DeadLetters deadLetters;
    private final ConsumerRetry retry;
    private final Tracer tracer;

    public SocialUpdateConsumer(SocialUpdateService service, DeadLetters deadLetters, ConsumerRetries retries,
                                Tracer tracer) {
        this.service = service;
        this.tracer = tracer;
        this.deadLetters = deadLetters;
        this.retry = retries.forChannel(CHANNEL);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        return Uni.createFrom().<Void>item(() -> {
                    Span span = KafkaTracing.startProcess(tracer, Topics.SOCIAL_UPDATES, record.key(),
                            KafkaTracing.extract(record.headers()));
                    try (Scope scope = span == null ? null : span.makeCurrent()) {
                        retry.runOrDeadLetter("applying a social update", record, deadLetters, () -> {
                            SocialUpdate update = MessageCodec.readSocialUpdate(record.value());
                            return service.apply(update);
                        });
                    } finally {
                        if (span != null) {
                            span.end();
                        }
                    }
                    return null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(ConsumerRetry.Stopped.class).recoverWithUni(() -> Uni.createFrom().nothing());
    }
}
