package com.activityfeed.feed.stream;

import com.activityfeed.feed.follows.FollowingFilter;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.FeedEvents;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;

/**
 * One open stream. All its state lives on its connection's event loop ({@link #context}); the
 * fan-out consumer only puts frames in the bounded {@link #inbox} and asks the loop to drain it,
 * so a slow socket never holds up the consumer or any other stream.
 *
 * <p>Gap-free resume: the subscription is registered (collecting live changes) before the change
 * log is read, then the log is replayed from the client's last id, then the inbox is drained
 * dropping every {@code seq <= lastSent}. A live change that skips numbers sends the stream back
 * to the log until it is caught up, so a missed Kafka record or a late consumer leaves no hole.
 * While catching up the inbox keeps only its newest entries: the older ones are in the log.
 */
final class Subscription {
    private static final Logger LOG = Logger.getLogger(Subscription.class);
    private static final Buffer KEEPALIVE = Buffer.buffer(": keepalive\n\n");

    private final StreamHub hub;
    private final ChangeReplay replay;
    private final StreamConfig config;
    private final Vertx vertx;
    private final Context context;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final String tenant;
    private final String userId;
    private final Set<String> types;
    /** {@code following=true}: null when the stream is not filtered by the user's follows. */
    private final FollowingFilter following;

    private final Object lock = new Object();
    /** Live frames not yet written; guarded by {@link #lock}. */
    private final ArrayDeque<Frame> inbox = new ArrayDeque<>();
    /** The newest {@code feed.unread} notice: only the latest count matters. Guarded by {@link #lock}. */
    private Frame pendingNotice;
    /** Replaying from the change log; guarded by {@link #lock}. */
    private boolean catchingUp = true;
    /** The inbox overflowed while live: the client cannot keep up. Guarded by {@link #lock}. */
    private boolean overflow;
    private boolean drainScheduled;
    /** The replay waits for the socket to take what it was given; guarded by {@link #lock}. */
    private boolean replayStalled;
    private volatile boolean closed;

    // Confined to the event loop.
    private long lastSent = -1;
    private boolean awaitingWritable;
    private long keepaliveTimer = -1;
    /** The following filter is looking up tiles for the inbox's head. */
    private boolean preparing;

    Subscription(StreamHub hub, ChangeReplay replay, StreamConfig config, Vertx vertx, Context context,
                 HttpServerRequest request, String tenant, String userId, Set<String> types) {
        this(hub, replay, config, vertx, context, request, tenant, userId, types, null);
    }

    Subscription(StreamHub hub, ChangeReplay replay, StreamConfig config, Vertx vertx, Context context,
                 HttpServerRequest request, String tenant, String userId, Set<String> types, FollowingFilter following) {
        this.hub = hub;
        this.replay = replay;
        this.config = config;
        this.vertx = vertx;
        this.context = context;
        this.request = request;
        this.response = request.response();
        this.tenant = tenant;
        this.userId = userId;
        this.types = types;
        this.following = following;
    }

    String tenant() {
        return tenant;
    }

    String userId() {
        return userId;
    }

    /**
     * Starts the stream (on the event loop): headers and {@code retry} go out, live changes start
     * to collect, then the change log decides what comes first.
     */
    void open(String lastEventId) {
        response.closeHandler(v -> release());
        response.exceptionHandler(e -> release());
        // Netty may report writability inside our own write(); handle it on a later turn of the loop
        response.drainHandler(v -> context.runOnContext(x -> onWritable()));
        hub.register(this);
        if (response.closed()) {
            release();
            return;
        }
        response.write("retry: " + config.retryMillis() + "\n\n");
        keepaliveTimer = vertx.setPeriodic(config.keepalive().toMillis(), id -> {
            if (!closed && !response.writeQueueFull()) {
                response.write(KEEPALIVE);
            }
        });
        vertx.executeBlocking(() -> replay.position(tenant), false).onComplete(ar -> {
            if (closed) {
                return;
            }
            if (ar.failed()) {
                LOG.warnf("cannot read the change log of %s: %s", tenant, ar.cause().toString());
                end(snapshotRequired("unavailable"));
                return;
            }
            begin(lastEventId, ar.result());
        });
    }

    private void begin(String lastEventId, ChangeReplay.Position position) {
        write(Frame.encode(null, FeedEvents.CONNECTED, "{\"lastSeq\":" + position.lastSeq() + "}"));
        if (lastEventId == null) {
            lastSent = position.lastSeq();
            finishCatchUp();
            return;
        }
        Long requested = parse(lastEventId);
        if (requested != null && position.canResumeFrom(requested)) {
            lastSent = requested;
            fetch();
        } else {
            write(snapshotRequired(requested == null || requested > position.lastSeq() ? "unknown-id" : "expired-id"));
            lastSent = position.lastSeq();
            finishCatchUp();
        }
    }

    /** Called by the fan-out consumer's thread; never blocks on the socket. */
    void offer(Frame frame) {
        synchronized (lock) {
            if (closed || overflow) {
                return;
            }
            if (frame.isNotice()) {
                pendingNotice = frame;
            } else if (inbox.size() < config.buffer()) {
                inbox.addLast(frame);
            } else if (catchingUp && !replayStalled) {
                // the oldest live change is in the change log too; the newest must stay
                inbox.pollFirst();
                inbox.addLast(frame);
            } else {
                // live, or replaying to a socket that does not take it: either way it cannot keep up
                overflow = true;
            }
            if (drainScheduled) {
                return;
            }
            drainScheduled = true;
        }
        context.runOnContext(v -> drain());
    }

    private void drain() {
        boolean cut;
        synchronized (lock) {
            drainScheduled = false;
            if (closed) {
                return;
            }
            cut = overflow;
            if (cut) {
                inbox.clear();
            } else if (catchingUp) {
                return;
            }
        }
        if (cut) {
            hub.cutOff();
            end(snapshotRequired("slow-consumer"));
            return;
        }
        while (!closed && !response.writeQueueFull()) {
            Frame notice;
            Frame next;
            synchronized (lock) {
                notice = pendingNotice;
                pendingNotice = null;
                next = notice == null ? inbox.peekFirst() : null;
            }
            if (notice != null) {
                write(notice.bytes());
                hub.delivered(notice, true);
                continue;
            }
            if (next == null) {
                return;
            }
            if (next.seq() <= lastSent) {
                poll();
                continue;
            }
            if (next.seq() > lastSent + 1) {
                synchronized (lock) {
                    catchingUp = true;
                }
                fetch();
                return;
            }
            if (following != null && !following.ready(next.change())) {
                prepareFollowing();
                return;
            }
            poll();
            lastSent = next.seq();
            if (next.matches(types) && (following == null || following.matches(next.change()))) {
                write(next.bytes());
                hub.delivered(next, true);
            }
        }
        // not writable: the drain handler calls back
    }

    /** Replays the change log after {@link #lastSent}, one batch at a time, paced by the socket. */
    private void fetch() {
        long from = lastSent;
        int limit = config.replayBatch();
        vertx.executeBlocking(() -> {
            List<FeedChange> changes = replay.after(tenant, from, limit);
            if (following != null) {
                following.prepare(changes);
            }
            return changes;
        }, false).onComplete(ar -> {
            if (closed) {
                return;
            }
            if (ar.failed()) {
                LOG.warnf("cannot replay the change log of %s: %s", tenant, ar.cause().toString());
                end(snapshotRequired("unavailable"));
                return;
            }
            List<FeedChange> batch = ar.result();
            if (!batch.isEmpty() && batch.getFirst().seq() != from + 1) {
                // pruned while we were behind: the client must refetch what it missed
                write(snapshotRequired("expired-id"));
            }
            for (FeedChange change : batch) {
                if (following != null && !following.ready(change)) {
                    // its tile left the cache since the batch was read: read on from here
                    fetch();
                    return;
                }
                Frame frame = Frame.of(change);
                lastSent = change.seq();
                if (frame.matches(types) && (following == null || following.matches(change))) {
                    write(frame.bytes());
                    hub.delivered(frame, false);
                }
            }
            if (batch.size() < limit) {
                finishCatchUp();
            } else if (response.writeQueueFull()) {
                awaitingWritable = true;
                synchronized (lock) {
                    replayStalled = true;
                }
            } else {
                fetch();
            }
        });
    }

    /** Looks up the tiles of the waiting live changes on a worker, then drains on. */
    private void prepareFollowing() {
        if (preparing) {
            return;
        }
        preparing = true;
        List<FeedChange> waiting;
        synchronized (lock) {
            waiting = inbox.stream().map(Frame::change).toList();
        }
        vertx.executeBlocking(() -> {
            following.prepare(waiting);
            return null;
        }, false).onComplete(ar -> {
            preparing = false;
            if (closed) {
                return;
            }
            if (ar.failed()) {
                LOG.warnf("cannot read the follows of a stream of %s: %s", tenant, ar.cause().toString());
                end(snapshotRequired("unavailable"));
                return;
            }
            drain();
        });
    }

    private void finishCatchUp() {
        synchronized (lock) {
            catchingUp = false;
        }
        drain();
    }

    private void onWritable() {
        if (awaitingWritable) {
            awaitingWritable = false;
            synchronized (lock) {
                replayStalled = false;
            }
            fetch();
        } else {
            drain();
        }
    }

    private void poll() {
        synchronized (lock) {
            inbox.pollFirst();
        }
    }

    private void write(Buffer bytes) {
        if (!closed) {
            response.write(bytes);
        }
    }

    /** Ends the stream with a last frame; a client that does not take it within the grace is disconnected. */
    private void end(Buffer last) {
        if (closed) {
            return;
        }
        release();
        if (response.closed() || response.ended()) {
            return;
        }
        response.write(last);
        long timer = vertx.setTimer(config.cutOffGrace().toMillis(), id -> request.connection().close());
        response.end().onComplete(ar -> {
            vertx.cancelTimer(timer);
            // the client reconnects on a new connection; this one may have buffers full of stale data
            request.connection().close();
        });
    }

    /** Ends the stream at once (the user or tenant was erased); any thread. */
    void close() {
        context.runOnContext(v -> {
            release();
            request.connection().close();
        });
    }

    /** Gives back everything the stream holds: idempotent, on the event loop. */
    private void release() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            inbox.clear();
            pendingNotice = null;
        }
        if (keepaliveTimer >= 0) {
            vertx.cancelTimer(keepaliveTimer);
        }
        hub.unregister(this);
        hub.release(tenant, userId);
        if (following != null) {
            following.close();
        }
    }

    private static Buffer snapshotRequired(String reason) {
        return Frame.encode(null, FeedEvents.SNAPSHOT_REQUIRED, "{\"reason\":\"" + reason + "\"}");
    }

    private static Long parse(String id) {
        if (!id.matches("\\d{1,18}")) {
            return null;
        }
        return Long.parseLong(id);
    }
}
