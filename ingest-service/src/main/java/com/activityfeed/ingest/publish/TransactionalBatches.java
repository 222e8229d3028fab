package com.activityfeed.ingest.publish;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Commits multi-event requests to Kafka all or nothing. A small pool of transactional producers
 * ({@code transactional.id = <prefix>-<index>}), each driven by its own thread: the thread takes
 * every request waiting for it (up to a bound), sends them in one transaction and commits once, so
 * the cost of a commit is shared by the requests that arrived meanwhile (group commit). A failure
 * anywhere aborts the transaction and fails every request of it; they are answered 503 and retried
 * by their clients, and read_committed consumers never see any of their records.
 *
 * <p>Requests whose answer has already been given (they timed out waiting) are not sent, and if one
 * times out while its transaction is still open, the transaction is aborted rather than committed,
 * so a 503 means "not published". The one exception is a commit that was already on its way when
 * the deadline passed (the broker may complete it): a client that retries a batch without keys
 * may then store it twice; with keys the feed stores it once.
 */
final class TransactionalBatches implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TransactionalBatches.class);

    private final List<Lane> lanes;
    private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

    TransactionalBatches(String idPrefix, int producers, int requestsPerTransaction,
                         Function<String, Producer<String, byte[]>> factory) {
        this.lanes = IntStream.range(0, producers)
                .mapToObj(i -> new Lane(idPrefix + "-" + i, requestsPerTransaction, factory)).toList();
        lanes.forEach(Lane::start);
    }

    /** Completes when the transaction holding {@code records} is committed; fails when it is not. */
    CompletableFuture<Void> commit(List<ProducerRecord<String, byte[]>> records) {
        // the producer with the fewest requests waiting; ties go round the pool
        int start = Math.floorMod(turn.getAndIncrement(), lanes.size());
        Lane best = null;
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get((start + i) % lanes.size());
            if (best == null || lane.waiting() < best.waiting()) {
                best = lane;
            }
        }
        return best.submit(records);
    }

    /** Every producer is initialised: a batch can be committed now. */
    boolean ready() {
        return lanes.stream().allMatch(Lane::ready);
    }

    @Override
    public void close() {
        lanes.forEach(Lane::stop);
    }

    private record Pending(List<ProducerRecord<String, byte[]>> records, CompletableFuture<Void> done) {
    }

    private static final class Lane implements Runnable {
        private final String transactionalId;
        private final int maxGroup;
        private final Function<String, Producer<String, byte[]>> factory;
        private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
        private final Thread thread;
        private volatile boolean running = true;
        /** Touched only by this lane's thread. */
        private Producer<String, byte[]> producer;
        /** The producer exists and its transactions are initialised. */
        private volatile boolean ready;

        Lane(String transactionalId, int maxGroup, Function<String, Producer<String, byte[]>> factory) {
            this.transactionalId = transactionalId;
            this.maxGroup = Math.max(1, maxGroup);
            this.factory = factory;
            this.thread = new Thread(this, "ingest-txn-" + transactionalId);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        int waiting() {
            return queue.size();
        }

        CompletableFuture<Void> submit(List<ProducerRecord<String, byte[]>> records) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (!running) {
                done.completeExceptionally(new KafkaException("ingest is shutting down"));
            } else {
                queue.add(new Pending(records, done));
            }
            return done;
        }

        @Override
        public void run() {
            // At once, not on the first batch: initialising fences a predecessor with the same id
            // (this replica before a crash) and aborts what it left open, which read_committed
            // consumers would otherwise wait for until the transaction timeout. The first
            // initialisation on a new cluster creates the transaction log and may take a while:
            // it is retried for as long as it times out (each try blocks up to max.block.ms).
            while (running && !ready) {
                try {
                    producer();
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    LOG.infof("transactional producer %s not initialised yet, retrying: %s", transactionalId, e.getMessage());
                } catch (KafkaException e) {
                    LOG.warnf("transactional producer %s cannot start (retried with the next batch): %s",
                            transactionalId, e.toString());
                    break;
                }
            }
            List<Pending> group = new ArrayList<>();
            while (running) {
                try {
                    group.add(queue.take());
                } catch (InterruptedException e) {
                    break;
                }
                queue.drainTo(group, maxGroup - 1);
                commit(group);
                group.clear();
            }
            List<Pending> left = new ArrayList<>();
            queue.drainTo(left);
            fail(left, new KafkaException("ingest is shutting down"));
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }

        private void commit(List<Pending> group) {
            group.removeIf(p -> p.done().isDone()); // already answered 503: never publish it afterwards
            if (group.isEmpty()) {
                return;
            }
            Producer<String, byte[]> p;
            try {
                p = producer();
            } catch (KafkaException e) {
                LOG.warnf("transactional producer %s cannot start: %s", transactionalId, e.toString());
                fail(group, e);
                return;
            }
            boolean open = false;
            try {
                p.beginTransaction();
                open = true;
                for (Pending pending : group) {
                    for (ProducerRecord<String, byte[]> record : pending.records()) {
                        p.send(record); // a failed send makes commitTransaction throw
                    }
                }
                if (group.stream().anyMatch(x -> x.done().isDone())) {
                    // a request was answered 503 meanwhile: it must not become visible
                    p.abortTransaction();
                    fail(group, new KafkaException("a request of the transaction timed out before its commit"));
                    return;
                }
                p.commitTransaction();
                group.forEach(x -> x.done().complete(null));
            } catch (ProducerFencedException | OutOfOrderSequenceException | UnsupportedVersionException
                     | AuthorizationException e) {
                // fatal for this producer instance: a new one (same id) fences and aborts what is open
                LOG.warnf("transactional producer %s failed: %s", transactionalId, e.toString());
                discard();
                fail(group, e);
            } catch (KafkaException | IllegalStateException e) {
                LOG.warnf("transaction of %d request(s) on %s aborted: %s", group.size(), transactionalId, e.toString());
                if (open && !abort(p)) {
                    discard();
                }
                fail(group, e);
            }
        }

        private boolean abort(Producer<String, byte[]> p) {
            try {
                p.abortTransaction();
                return true;
            } catch (KafkaException | IllegalStateException e) {
                // e.g. a commit that timed out may not be aborted; a new producer with the same id
                // completes or aborts it when it initialises
                LOG.warnf("could not abort on %s: %s", transactionalId, e.toString());
                return false;
            }
        }

        private Producer<String, byte[]> producer() {
            if (producer == null) {
                producer = factory.apply(transactionalId);
            }
            if (!ready) {
                try {
                    producer.initTransactions();
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    throw e; // may be retried on the same producer
                } catch (KafkaException e) {
                    discard();
                    throw e;
                }
                ready = true;
            }
            return producer;
        }

        boolean ready() {
            return ready;
        }

        private void discard() {
            ready = false;
            if (producer != null) {
                producer.close(Duration.ZERO);
                producer = null;
            }
        }

        private static void fail(List<Pending> group, Throwable error) {
            group.forEach(x -> x.done().completeExceptionally(error));
        }

        void stop() {
            running = false;
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
