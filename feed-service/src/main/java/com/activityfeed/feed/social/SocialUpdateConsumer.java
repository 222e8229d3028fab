package com.activityfeed.feed.social;

import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.SocialUpdate;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * Consumes {@code social.updates}: applies each update once to the feed's social mirror and relays
 * it on the change log. A message that cannot be read goes to the DLQ; a transaction that lost a
 * deadlock or serialisation race against a fold is retried a few times before it does.
 */
@ApplicationScoped
public class SocialUpdateConsumer {
    public static final String CHANNEL = "social-updates";
    private static final Logger LOG = Logger.getLogger(SocialUpdateConsumer.class);
    private static final int ATTEMPTS = 5;

    private final SocialUpdateService service;

    public SocialUpdateConsumer(SocialUpdateService service) {
        this.service = service;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(String value) {
        SocialUpdate update = MessageCodec.readSocialUpdate(value);
        for (int attempt = 1; ; attempt++) {
            try {
                service.apply(update);
                return;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !transientFailure(e)) {
                    throw e;
                }
                LOG.debugf("social update %s lost a race, attempt %d: %s", update.id(), attempt, e.toString());
            }
        }
    }

    /** Deadlock (40P01) or serialisation failure (40001): the same transaction will succeed when run again. */
    static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }
}
