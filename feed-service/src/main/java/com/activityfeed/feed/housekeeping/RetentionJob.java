package com.activityfeed.feed.housekeeping;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Runs retention on every replica ({@code feed.retention.every}, hourly by default); concurrent
 * runs are safe, as every batch deletes under the tenant's lock and re-checks what it deletes.
 * A shutdown stops it between two batches.
 */
@ApplicationScoped
public class RetentionJob {
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    private final RetentionService service;
    private volatile boolean stopping;

    public RetentionJob(RetentionService service) {
        this.service = service;
    }

    @Scheduled(every = "${feed.retention.every:1h}", delayed = "${feed.retention.delay:2m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        try {
            service.run(Instant.now(), () -> stopping);
        } catch (RuntimeException e) {
            LOG.warnf("retention failed, the next run continues where it stopped: %s", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
