package com.activityfeed.kafka.consume;

import com.activityfeed.messages.MessageCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * How a consumer of this platform treats a failure: only a failure that belongs to the message
 * itself (the caller's {@code permanent} test) leaves the loop, to be dead-lettered; anything else
 * (a database that restarts, is read-only after a failover or has a full disk, a broker that is
 * away, a bug) is retried with capped back-off for as long as it lasts. Meanwhile the channel is
 * reported stalled: gauge {@code pipeline.consumer.stalled{channel}} is 1, readiness is DOWN
 * ({@link ConsumerHealth}) and {@code pipeline.consumer.retries{channel}} counts the attempts.
 * Nothing is acknowledged while it retries, so nothing is lost; the consumer never stops.
 */
public final class ConsumerRetry {
    private static final Logger LOG = Logger.getLogger(ConsumerRetry.class);
    public static final String STALLED = "pipeline.consumer.stalled";
    public static final String RETRIES = "pipeline.consumer.retries";

    private final String channel;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final CountDownLatch stopped;
    private final AtomicInteger stalled = new AtomicInteger();
    private final Counter retries;
    private volatile String lastFailure;

    ConsumerRetry(String channel, Duration firstBackoff, Duration maxBackoff, CountDownLatch stopped,
                  MeterRegistry registry) {
        this.channel = channel;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.stopped = stopped;
        Gauge.builder(STALLED, stalled, AtomicInteger::get).tag("channel", channel)
                .description("1 while the consumer retries a failure that is not the message's own").register(registry);
        this.retries = Counter.builder(RETRIES).tag("channel", channel)
                .description("attempts repeated after a failure that is not the message's own").register(registry);
    }

    /** The service is stopping while a message was being retried: leave it unacknowledged. */
    public static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopping", null, false, false);
        }
    }

    public String channel() {
        return channel;
    }

    public boolean stalled() {
        return stalled.get() > 0;
    }

    /** What failed last while stalled, for the readiness answer. */
    public String lastFailure() {
        return lastFailure;
    }

    /**
     * Runs {@code work} until it returns. A failure for which {@code permanent} holds is thrown at
     * once (as it is); every other failure is retried.
     *
     * @throws Stopped when the service stops before the work succeeded
     */
    public <T> T run(String what, Callable<T> work, Predicate<Throwable> permanent) throws Stopped, Exception {
        long backoff = firstBackoff.toMillis();
        int attempt = 0;
        while (true) {
            if (stopped.getCount() == 0) {
                throw new Stopped();
            }
            try {
                T result = work.call();
                if (attempt > 0) {
                    LOG.infof("%s: %s succeeded after %d retries", channel, what, attempt);
                    stalled.set(0);
                    lastFailure = null;
                }
                return result;
            } catch (Exception e) {
                if (permanent.test(e)) {
                    if (attempt > 0) {
                        stalled.set(0);
                        lastFailure = null;
                    }
                    throw e;
                }
                attempt++;
                stalled.set(1);
                lastFailure = rootMessage(e);
                retries.increment();
                // the first failure with its stack, then one line now and then: an outage can last long
                if (attempt == 1) {
                    LOG.warnf(e, "%s: %s failed, retrying until it succeeds", channel, what);
                } else if (attempt % 10 == 0) {
                    LOG.warnf("%s: %s still failing after %d retries: %s", channel, what, attempt, lastFailure);
                }
                if (stopped.await(backoff, TimeUnit.MILLISECONDS)) {
                    throw new Stopped();
                }
                backoff = Math.min(backoff * 2, maxBackoff.toMillis());
            }
        }
    }

    /** {@link #run(String, Callable, Predicate)} with the platform's rule for a message's own fault. */
    public <T> T run(String what, Callable<T> work) throws Exception {
        return run(what, work, ConsumerRetry::messagesOwnFault);
    }

    /**
     * Processes one record: retried until done, except when the record itself is at fault, then it
     * goes to its DLQ (the send retried until the DLQ acknowledged it).
     */
    public void runOrDeadLetter(String what, ConsumerRecord<String, String> record, DeadLetters deadLetters,
                                Callable<?> work) {
        try {
            run(what, work);
        } catch (Stopped e) {
            throw e;
        } catch (Exception e) {
            deadLetter(deadLetters, record, e);
        }
    }

    /** Sends {@code record} to its DLQ, retrying until the DLQ acknowledged it. */
    public void deadLetter(DeadLetters deadLetters, ConsumerRecord<String, String> record, Throwable error) {
        String where = record.topic() + "/" + record.partition() + "@" + record.offset();
        LOG.warnf("%s: dead-lettering %s: %s", channel, where, error.getMessage());
        try {
            run("dead-lettering " + where, () -> {
                deadLetters.send(record, error);
                return null;
            }, failure -> false);
        } catch (Stopped e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("a retry without a permanent failure ended in one", e);
        }
    }

    /**
     * Whether a failure is the message's own, so processing it again cannot help: it cannot be read
     * or is incomplete ({@code MalformedMessageException}), or the database refused its data
     * (SQLState class 22, data exception: a value out of range, an invalid byte sequence; or a NOT
     * NULL or CHECK violation). Nothing about connections, transactions, resources or the server's
     * state (read-only 25006, disk full 53100, shutdown 57P01), and no unique violation (idempotent
     * writes do not raise one; one would be a bug and is retried like a bug).
     */
    public static boolean messagesOwnFault(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MessageCodec.MalformedMessageException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("22") || state.equals("23502") || state.equals("23514");
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }
}
