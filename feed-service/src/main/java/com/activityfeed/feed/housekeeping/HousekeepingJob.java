package com.activityfeed.feed.housekeeping;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Runs housekeeping on every replica; row locks make concurrent runs safe. Expiry has its own,
 * short period, so live streams hear of an expired tile within a second of its {@code expiresAt}
 * (reads hide it at once); finding nothing due is one look at a partial index.
 */
@ApplicationScoped
public class HousekeepingJob {
    private static final Logger LOG = Logger.getLogger(HousekeepingJob.class);

    private final HousekeepingService service;
    private volatile boolean expiryFailing;

    public HousekeepingJob(HousekeepingService service) {
        this.service = service;
    }

    @Scheduled(every = "${feed.housekeeping.expiry-every:500ms}", delayed = "${feed.housekeeping.delay:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        try {
            while (service.expireDue(Instant.now()) > 0) {
                // one transaction per batch, until nothing is due
            }
            if (expiryFailing) {
                LOG.info("expiry works again");
                expiryFailing = false;
            }
        } catch (RuntimeException e) {
            // said once per outage, not twice a second
            if (!expiryFailing) {
                LOG.warnf("expiry failed, retrying every run until it works: %s", e.getMessage());
                expiryFailing = true;
            }
        }
    }

    @Scheduled(every = "${feed.housekeeping.every:30s}", delayed = "${feed.housekeeping.delay:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            service.pruneChanges(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("housekeeping failed, next run retries: %s", e.getMessage());
        }
    }
}
