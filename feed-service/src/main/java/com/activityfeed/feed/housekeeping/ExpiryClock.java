package com.activityfeed.feed.housekeeping;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets expired events leave their tiles every {@code feed.housekeeping.expiry-every} (250 ms), so a
 * live stream hears of an expiry ({@code activity.event.updated} for a group that shrinks,
 * {@code .removed} otherwise) within a second of {@code expiresAt}; reads hide an expired tile at
 * once anyway. Its own thread, as the scheduler runs nothing more often than once a second; finding
 * nothing due is one look at a partial index. Every replica runs it; the tenant's log lock makes
 * concurrent runs safe.
 */
@ApplicationScoped
public class ExpiryClock {
    private static final Logger LOG = Logger.getLogger(ExpiryClock.class);

    private final HousekeepingService service;
    private final HousekeepingConfig config;
    private final Semaphore stopping = new Semaphore(0);
    private volatile boolean running;
    private volatile boolean failing;
    private Thread thread;

    public ExpiryClock(HousekeepingService service, HousekeepingConfig config) {
        this.service = service;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        Duration every = config.expiryEvery();
        if (every.isZero() || every.isNegative()) {
            return;
        }
        running = true;
        thread = new Thread(() -> loop(every), "feed-expiry");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        stopping.release();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop(Duration every) {
        while (running) {
            try {
                while (running && service.expireDue(Instant.now()) > 0) {
                    // one transaction per batch, until nothing is due
                }
                if (failing) {
                    LOG.info("expiry works again");
                    failing = false;
                }
            } catch (RuntimeException e) {
                // said once per outage, not four times a second
                if (!failing) {
                    LOG.warnf("expiry failed, retrying every %s until it works: %s", every, e.getMessage());
                    failing = true;
                }
            }
            try {
                if (stopping.tryAcquire(every.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
