package com.activityfeed.feed.housekeeping;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/** Prunes the change log on every replica; concurrent runs are safe. Expiry: {@link ExpiryClock}. */
@ApplicationScoped
public class HousekeepingJob {
    private static final Logger LOG = Logger.getLogger(HousekeepingJob.class);

    private final HousekeepingService service;

    public HousekeepingJob(HousekeepingService service) {
        this.service = service;
    }

    @Scheduled(every = "${feed.housekeeping.every:30s}", delayed = "${feed.housekeeping.delay:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        try {
            service.pruneChanges(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("housekeeping failed, next run retries: %s", e.getMessage());
        }
    }
}
