package com.activityfeed.feed.erasure;

import com.activityfeed.messages.ErasureRequest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The erasure records: creates a request and sends it on {@code erasure.requests}, records each
 * service's completion, re-sends what stays pending, and counts what is pending for the alert.
 */
@ApplicationScoped
public class ErasureService {
    private static final Logger LOG = Logger.getLogger(ErasureService.class);

    private final ErasurePublisher publisher;
    private final ErasureConfig config;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();

    public ErasureService(ErasurePublisher publisher, ErasureConfig config, MeterRegistry registry) {
        this.publisher = publisher;
        this.config = config;
        Gauge.builder("feed.erasures.pending", pending, AtomicLong::get)
                .description("erasure requests not yet done by every service").register(registry);
        Gauge.builder("feed.erasures.oldest.pending.seconds", oldestPendingSeconds, AtomicLong::get)
                .description("age of the oldest erasure request not yet done (0 when none)").register(registry);
    }

    /** Records a request and sends it; a request Kafka did not take now is sent by {@link #resendDue}. */
    public ErasureRecord request(String tenant, String userId, String requestedBy) {
        ErasureRecord record = create(tenant, userId, requestedBy);
        send(record);
        return record;
    }

    @Transactional
    ErasureRecord create(String tenant, String userId, String requestedBy) {
        ErasureRecord r = new ErasureRecord();
        r.id = UUID.randomUUID();
        r.tenantId = tenant;
        r.scope = userId == null ? ErasureRequest.TENANT : ErasureRequest.USER;
        r.userId = userId;
        r.requestedBy = requestedBy;
        r.requestedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        r.persist();
        pending.incrementAndGet();
        return r;
    }

    private void send(ErasureRecord record) {
        ErasureRequest message = new ErasureRequest(ErasureRequest.VERSION, record.id, record.tenantId, record.scope,
                record.userId, record.requestedAt);
        if (publisher.publish(message)) {
            markPublished(record.id);
            record.publishedAt = Instant.now();
        } else {
            LOG.warnf("erasure %s could not be sent to Kafka now; it is re-sent within %s", record.id, config.checkEvery());
        }
    }

    /**
     * Row-locked like the others: the feed's own part can be done (and committed) between the send
     * and this update, and an unlocked read would write its stale {@code feed_done_at} back over it.
     */
    @Transactional
    void markPublished(UUID id) {
        ErasureRecord r = locked(id);
        if (r != null) {
            r.publishedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        }
    }

    @Transactional
    public Optional<ErasureRecord> find(UUID id) {
        return ErasureRecord.findByIdOptional(id);
    }

    /** Records feed-service's part as done (the caller's transaction, with the erasure itself). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void feedDone(UUID id) {
        ErasureRecord r = locked(id);
        if (r != null && r.feedDoneAt == null) {
            r.feedDoneAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            r.completeIfAllDone();
            LOG.infof("erasure %s: feed done%s", id, r.done() ? ", erasure complete" : "");
        }
    }

    /** Records a service's report; a repeated or unknown one changes nothing. */
    @Transactional
    public void serviceDone(UUID id, String service, Instant at) {
        ErasureRecord r = locked(id);
        if (r == null) {
            LOG.warnf("erasure result for unknown erasure %s from %s ignored", id, service);
            return;
        }
        if ("social".equals(service) && r.socialDoneAt == null) {
            r.socialDoneAt = at.truncatedTo(ChronoUnit.MICROS);
            r.completeIfAllDone();
            LOG.infof("erasure %s: social done%s", id, r.done() ? ", erasure complete" : "");
        }
    }

    /**
     * The record, row-locked until commit: feed's part, social's report and the send's
     * {@code published_at} may land at the same moment, and each must see the others' writes (an
     * update writes every column, so a stale read would overwrite them and the record would never
     * complete).
     */
    private static ErasureRecord locked(UUID id) {
        return ErasureRecord.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }

    /** Re-sends requests never acknowledged by Kafka, or pending longer than {@link ErasureConfig#resendAfter()}. */
    public int resendDue(Instant now) {
        int sent = 0;
        for (ErasureRecord r : due(now.minus(config.resendAfter()))) {
            send(r);
            sent++;
        }
        return sent;
    }

    @Transactional
    List<ErasureRecord> due(Instant before) {
        return ErasureRecord.list("completedAt is null and (publishedAt is null or publishedAt < ?1) order by requestedAt",
                before);
    }

    /** Refreshes the pending gauges from the records. */
    @Transactional
    public void refreshGauges(Instant now) {
        pending.set(ErasureRecord.count("completedAt is null"));
        Optional<ErasureRecord> oldest = ErasureRecord.find("completedAt is null order by requestedAt").firstResultOptional();
        oldestPendingSeconds.set(oldest.map(r -> Duration.between(r.requestedAt, now).toSeconds()).orElse(0L));
    }
}
