package com.activityfeed.bench.stream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's HTTP/1.1 client for POSTs, built to cost the machine as little as possible
 * (the benchmarks share the two cores with every process they measure): a fixed set of persistent
 * connections, each with one thread that writes a request and reads its answer, as {@code wrk} does.
 * Requests wait in one queue when every connection is busy; an open-loop sender measures from the
 * time a request was due, so that wait counts.
 *
 * <p>It replaces {@link java.net.http.HttpClient} for the benchmarks' POSTs: that client opens a new
 * connection whenever all are busy and keeps every one in a pool whose bookkeeping is a linked list
 * walked on each reuse ({@code ConnectionPool$ExpiryList.remove}). At 200 POSTs/s in P2 that walk
 * was the benchmark JVM's busiest method (46 % of its samples in the warm-up, JFR).
 *
 * <p>A POST is never retried: a failed connection fails the request on it (the sender counts it) and
 * the connection is opened again for the next.
 */
final class PostClient implements AutoCloseable {
    private record Request(byte[] head, byte[] body, CompletableFuture<Integer> answer) {
    }

    private final String host;
    private final int port;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    /** @param connections how many requests may be on the wire at once */
    PostClient(String host, int port, int connections) {
        this.host = host;
        this.port = port;
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(this::serve, "bench-post-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    /** POSTs {@code json} to {@code path} with a bearer token; completes with the status code. */
    CompletableFuture<Integer> post(String path, String token, String json) {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        queue.add(new Request(head.getBytes(StandardCharsets.ISO_8859_1), body, answer));
        return answer;
    }

    private void serve() {
        Socket socket = null;
        InputStream in = null;
        OutputStream out = null;
        while (!closed) {
            Request request;
            try {
                request = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (request == null) {
                continue; // nothing for a second: look at closed again
            }
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(10_000);
                    socket.connect(new InetSocketAddress(host, port), 5_000);
                    // one answer is read before the next request is written, so the buffer never holds
                    // bytes of an answer not yet asked for
                    in = new BufferedInputStream(socket.getInputStream(), 4096);
                    out = new BufferedOutputStream(socket.getOutputStream(), 2048);
                }
                out.write(request.head());
                out.write(request.body());
                out.flush();
                Answer answer = read(in);
                if (answer.close()) {
                    socket.close();
                    socket = null;
                }
                request.answer().complete(answer.status());
            } catch (IOException | RuntimeException e) {
                request.answer().completeExceptionally(e);
                closeQuietly(socket);
                socket = null;
            }
        }
        closeQuietly(socket);
    }

    private record Answer(int status, boolean close) {
    }

    // One answer: status line, headers, then the body by Content-Length or chunks (read and dropped).
    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                 size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                skip(in, size);
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
        } else if (length > 0) {
            skip(in, length);
        } else if (length < 0 && code >= 200 && code != 204 && code != 304) {
            close = true; // body until the connection closes: not worth reading, drop the connection
        }
        return new Answer(code, close);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed in an answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void skip(InputStream in, long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 4096)];
        while (n > 0) {
            int read = in.read(buffer, 0, (int) Math.min(n, buffer.length));
            if (read < 0) {
                throw new EOFException("connection closed in a body");
            }
            n -= read;
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** Fails what still waits; each connection's thread finishes its request and stops within a second. */
    @Override
    public void close() {
        closed = true;
        for (Request left = queue.poll(); left != null; left = queue.poll()) {
            left.answer().completeExceptionally(new IOException("client closed"));
        }
    }
}
