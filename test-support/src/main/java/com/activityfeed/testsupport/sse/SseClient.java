package com.activityfeed.testsupport.sse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A small Server-Sent Events client for tests, on java.net.http (HTTP/1.1). It parses the stream as
 * the HTML standard says ({@code id}, {@code event}, {@code data} over several lines, {@code retry},
 * {@code :} comments), remembers the last event id, and sends {@code Last-Event-ID} when asked.
 * A reader thread collects everything; tests wait on it with bounded timeouts.
 *
 * <pre>{@code
 * try (SseClient sse = SseClient.to(feedUrl + "/api/v1/feed/stream").bearer(token).connect()) {
 *     sse.awaitEvent(e -> e.event().equals("feed.connected"), Duration.ofSeconds(5));
 * }
 * }</pre>
 * A status other than 200 (or a body that is not {@code text/event-stream}) is not streamed:
 * {@link #status()} and {@link #errorBody()} tell what the server answered.
 */
public final class SseClient implements AutoCloseable {
    private static final HttpClient SHARED = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /**
     * One dispatched event. {@code id} is the event's own {@code id} field (null when it had none);
     * {@code event} is {@code message} when the server named none; {@code receivedAt} is when the
     * blank line that ended it was read.
     */
    public record Event(String id, String event, String data, Instant receivedAt) {
        /** The id as a number; fails when the event had none. */
        public long seq() {
            if (id == null) {
                throw new IllegalStateException("event " + event + " has no id");
            }
            return Long.parseLong(id);
        }
    }

    private final int status;
    private final HttpHeaders headers;
    private final String errorBody;
    private final InputStream body;
    private final Thread reader;
    private final Object lock = new Object();
    private final List<Event> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private final List<Instant> commentTimes = new ArrayList<>();
    private volatile String lastEventId;
    private volatile Long retryMillis;
    private volatile boolean ended;
    private volatile Throwable failure;

    private SseClient(int status, HttpHeaders headers, String errorBody, InputStream body, String lastEventId) {
        this.status = status;
        this.headers = headers;
        this.errorBody = errorBody;
        this.body = body;
        this.lastEventId = lastEventId;
        if (body != null) {
            reader = Thread.ofVirtual().name("sse-client").unstarted(this::read);
            reader.start();
        } else {
            reader = null;
            ended = true;
        }
    }

    /** Starts building a connection to {@code url} (query parameters included). */
    public static Builder to(String url) {
        return new Builder(url);
    }

    /** Options of one connection. */
    public static final class Builder {
        private final String url;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String lastEventId;
        private HttpClient client = SHARED;
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder(String url) {
            this.url = url;
        }

        public Builder bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        /** Sent as the {@code Last-Event-ID} header, and the starting point of {@link #lastEventId()}. */
        public Builder lastEventId(String id) {
            this.lastEventId = id;
            return this;
        }

        public Builder lastEventId(long seq) {
            return lastEventId(Long.toString(seq));
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Use another client than the shared one (e.g. one per test that is closed afterwards). */
        public Builder client(HttpClient client) {
            this.client = client;
            return this;
        }

        /** How long to wait for the response headers. */
        public Builder timeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Opens the stream; returns once the response headers have arrived. */
        public SseClient connect() {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(connectTimeout)
                    .header("Accept", "text/event-stream")
                    .GET();
            headers.forEach(request::header);
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            try {
                HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                boolean streaming = response.statusCode() == 200 && response.headers().firstValue("Content-Type")
                        .map(t -> t.toLowerCase().startsWith("text/event-stream")).orElse(false);
                if (!streaming) {
                    String text;
                    try (InputStream in = response.body()) {
                        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                    return new SseClient(response.statusCode(), response.headers(), text, null, lastEventId);
                }
                return new SseClient(response.statusCode(), response.headers(), null, response.body(), lastEventId);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot connect to " + url, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while connecting to " + url, e);
            }
        }
    }

    public int status() {
        return status;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The body of a response that was not a stream (e.g. a problem+json), else null. */
    public String errorBody() {
        return errorBody;
    }

    /** Everything dispatched so far, in order. */
    public List<Event> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    /** The events named {@code name} so far. */
    public List<Event> events(String name) {
        return events().stream().filter(e -> e.event().equals(name)).toList();
    }

    /** Comment lines so far, without the leading colon (e.g. {@code " keepalive"} is {@code "keepalive"}). */
    public List<String> comments() {
        synchronized (lock) {
            return List.copyOf(comments);
        }
    }

    /** When each comment of {@link #comments()} was read. */
    public List<Instant> commentTimes() {
        synchronized (lock) {
            return List.copyOf(commentTimes);
        }
    }

    /** The last {@code id} seen (or the one connected with): what a reconnect sends as Last-Event-ID. */
    public String lastEventId() {
        return lastEventId;
    }

    /** The {@code retry} the server asked for, if any. */
    public Optional<Long> retryMillis() {
        return Optional.ofNullable(retryMillis);
    }

    /** True once the server closed the stream (or it failed, or it was never a stream). */
    public boolean ended() {
        return ended;
    }

    /** Why reading stopped, when it was not an orderly end of stream. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Waits until an event matches; returns it. */
    public Event awaitEvent(Predicate<Event> match, Duration timeout) {
        return awaitEvents(1, match, timeout).getFirst();
    }

    /** Waits for the first event named {@code name}. */
    public Event awaitEvent(String name, Duration timeout) {
        return awaitEvent(e -> e.event().equals(name), timeout);
    }

    /** Waits until at least {@code count} events match; returns the matching ones so far. */
    public List<Event> awaitEvents(int count, Predicate<Event> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                List<Event> matching = events.stream().filter(match).toList();
                if (matching.size() >= count) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (ended && matching.size() < count)) {
                    throw new AssertionError(new TimeoutException("saw " + matching.size() + " of " + count
                            + " matching events" + (ended ? " before the stream ended" : " in " + timeout)
                            + "; all events: " + summary(events)));
                }
                waitOn(left);
            }
        }
    }

    /** Waits until the server ends the stream. */
    public void awaitEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the stream did not end in " + timeout);
                }
                waitOn(left);
            }
        }
    }

    /** Waits until at least {@code count} comments were read. */
    public List<String> awaitComments(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (comments.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError("saw " + comments.size() + " of " + count + " comments");
                }
                waitOn(left);
            }
            return List.copyOf(comments);
        }
    }

    /** Closes the connection. */
    @Override
    public void close() {
        if (body != null) {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
        if (reader != null) {
            try {
                reader.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void waitOn(long nanos) {
        try {
            lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null || event != null) {
                        Event dispatched = new Event(id, event == null ? "message" : event,
                                data == null ? "" : data.toString(), Instant.now());
                        synchronized (lock) {
                            events.add(dispatched);
                            lock.notifyAll();
                        }
                    }
                    id = null;
                    event = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    String comment = line.substring(1).startsWith(" ") ? line.substring(2) : line.substring(1);
                    synchronized (lock) {
                        comments.add(comment);
                        commentTimes.add(Instant.now());
                        lock.notifyAll();
                    }
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    case "id" -> {
                        if (!value.contains("\0")) {
                            id = value;
                            lastEventId = value;
                        }
                    }
                    case "retry" -> {
                        if (value.matches("\\d+")) {
                            retryMillis = Long.parseLong(value);
                        }
                    }
                    default -> {
                        // unknown fields are ignored, as browsers do
                    }
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            synchronized (lock) {
                ended = true;
                lock.notifyAll();
            }
        }
    }

    private static String summary(List<Event> events) {
        StringBuilder text = new StringBuilder("[");
        int from = Math.max(0, events.size() - 20);
        if (from > 0) {
            text.append("… ");
        }
        for (int i = from; i < events.size(); i++) {
            Event e = events.get(i);
            text.append(e.event()).append(e.id() == null ? "" : "#" + e.id()).append(i < events.size() - 1 ? ", " : "");
        }
        return text.append(']').toString();
    }
}
