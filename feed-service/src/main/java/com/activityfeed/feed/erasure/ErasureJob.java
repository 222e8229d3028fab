package com.activityfeed.feed.erasure;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/** Re-sends erasure requests that stay pending and refreshes the pending gauges. */
@ApplicationScoped
public class ErasureJob {
    private static final Logger LOG = Logger.getLogger(ErasureJob.class);

    private final ErasureService erasures;

    public ErasureJob(ErasureService erasures) {
        this.erasures = erasures;
    }

    @Scheduled(every = "${feed.erasure.check-every:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        try {
            Instant now = Instant.now();
            int resent = erasures.resendDue(now);
            if (resent > 0) {
                LOG.infof("%d pending erasure requests re-sent", resent);
            }
            erasures.refreshGauges(now);
        } catch (RuntimeException e) {
            LOG.warnf("erasure check failed, next run retries: %s", e.getMessage());
        }
    }
}
