package com.activityfeed.bench.stream;

import com.activityfeed.bench.CpuShares;
import com.activityfeed.bench.HopHistograms;
import com.activityfeed.bench.LoadAverage;
import com.activityfeed.bench.Percentiles;
import com.activityfeed.testsupport.infra.TestTokens;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * SPEC P3: how many SSE streams one feed-service instance holds, with one event fanned out to all.
 * One NIO selector thread opens N streams (default 15,000; distinct users of one tenant, at most
 * 256 handshakes in flight), then measures the feed's heap after a full GC against the heap before,
 * then posts events through ingest one at a time and times, per stream, POST to the event's arrival.
 * Arguments: [connections] [rounds]. With {@code -Dhistogram=FILE} the feed's class histogram (live objects)
 * before and with the streams open is written to {@code FILE.before} and {@code FILE.with}, to see what a
 * stream keeps.
 */
public final class StreamFanoutBench {
    private static final int IN_FLIGHT = 256;

    /** One stream: the text of its last bytes, to find markers split across reads. */
    private static final class Stream {
        final int index;
        final ByteBuffer request;
        String tail = "";
        boolean statusChecked;
        boolean connected;
        boolean closed;
        long markerAt;

        Stream(int index, ByteBuffer request) {
            this.index = index;
            this.request = request;
        }
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 19_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (BenchStack stack = new BenchStack("1g"); Selector selector = Selector.open()) {
            String tenant = "fanout-" + UUID.randomUUID().toString().substring(0, 8);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", stack.feed.port());
            long heapBefore = stack.feedHeapAfterGc();
            stack.feedHistogram(".before");

            List<Stream> streams = new ArrayList<>(connections);
            long openStarted = System.nanoTime();
            int opened = 0;
            int connected = 0;
            int failed = 0;
            ByteBuffer read = ByteBuffer.allocateDirect(64 * 1024);
            String[] marker = {null};
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (connected + failed < connections && System.nanoTime() < deadline) {
                while (opened < connections && opened - connected - failed < IN_FLIGHT) {
                    String request = "GET /api/v1/feed/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                            + "Authorization: Bearer " + TestTokens.reader(tenant, "u" + opened) + "\r\n\r\n";
                    Stream stream = new Stream(opened, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                    streams.add(stream);
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.connect(address);
                    channel.register(selector, SelectionKey.OP_CONNECT, stream);
                    opened++;
                }
                int[] counts = poll(selector, read, marker, 100);
                connected += counts[0];
                failed += counts[1];
            }
            double openSeconds = (System.nanoTime() - openStarted) / 1e9;
            System.out.printf("P3 fan-out: %d of %d streams open in %.1f s (%d failed)   [%s]%n",
                    connected, connections, openSeconds, failed, LoadAverage.now());

            // settle, then the heap the open streams hold
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < settle) {
                poll(selector, read, marker, 100);
            }
            long heapAfter = stack.feedHeapAfterGc();
            stack.feedHistogram(".with");
            System.out.printf("  feed heap after GC: %.1f MiB before, %.1f MiB with %d streams: %.2f KiB per stream (target <= 10 KiB)   [%s]%n",
                    heapBefore / 1048576.0, heapAfter / 1048576.0, connected,
                    (heapAfter - heapBefore) / 1024.0 / Math.max(1, connected), LoadAverage.now());

            String producer = TestTokens.ingest(tenant);
            String[] metrics = {stack.ingest.url("/q/metrics"), stack.feed.url("/q/metrics")};
            HopHistograms.scrape(metrics); // the scrape's own first run is cold: not inside round 1
            for (int round = 0; round < rounds; round++) {
                HopHistograms hopsBefore = HopHistograms.scrape(metrics);
                CpuShares cpuBefore = CpuShares.snapshot(stack.ingest.port(), stack.feed.port());
                for (Stream s : streams) {
                    s.markerAt = 0;
                }
                String title = "fanout-mark-" + round;
                marker[0] = "\"" + title + "\"";
                long sent = System.nanoTime();
                // keep reading while the POST is under way: the event may arrive before its 202
                var posted = stack.post(tenant, producer, title);
                long roundDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int got = 0;
                while (got < connected && System.nanoTime() < roundDeadline) {
                    got += poll(selector, read, marker, 50)[2];
                }
                CpuShares cpuAfter = CpuShares.snapshot(stack.ingest.port(), stack.feed.port());
                int status = posted.get(30, TimeUnit.SECONDS);
                long[] latencies = streams.stream().filter(s -> s.connected && s.markerAt > 0)
                        .mapToLong(s -> s.markerAt - sent).toArray();
                Percentiles p = Percentiles.ofNanos(latencies);
                System.out.printf("  round %d (POST %d): event reached %d of %d open streams: %s -> p99 < 500 ms %s   [%s]%n",
                        round + 1, status, latencies.length, connected, p, p.p99() < 500 && latencies.length == connected ? "met" : "NOT met", LoadAverage.now());
                // what the round cost: the feed's CPU (one event stored and relayed, then written to every
                // stream: nearly all of it the writes) and this client's, reading every stream
                double feedCpu = cpuAfter.seconds(cpuBefore, "feed-service");
                System.out.printf("    CPU: feed %.2f s (%.1f µs per stream), this client %.2f s, all processes %.2f s%n", feedCpu,
                        1e6 * feedCpu / Math.max(1, latencies.length), cpuAfter.seconds(cpuBefore, "benchmark"),
                        cpuAfter.totalSeconds(cpuBefore));
                // where the round's time went: one event through each hop, then its writes to every stream
                System.out.print(HopHistograms.scrape(metrics).minus(hopsBefore).table("    "));
            }
            long open = streams.stream().filter(s -> s.connected && !s.closed).count();
            System.out.printf("  still open at the end: %d%n", open);
            System.out.print(stack.metric("feed_stream_connections").replaceAll("(?m)^", "  "));
            System.out.print(stack.metric("feed_stream_fanout_latency_seconds{").replaceAll("(?m)^", "  "));
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        }
        System.exit(0);
    }

    /** One select; returns {newly connected, failed, marker arrivals}. */
    private static int[] poll(Selector selector, ByteBuffer read, String[] marker, long timeoutMillis) throws IOException {
        int[] counts = new int[3];
        selector.select(timeoutMillis);
        for (SelectionKey key : selector.selectedKeys()) {
            Stream stream = (Stream) key.attachment();
            SocketChannel channel = (SocketChannel) key.channel();
            try {
                if (key.isConnectable()) {
                    channel.finishConnect();
                    channel.write(stream.request);
                    key.interestOps(SelectionKey.OP_READ);
                    continue;
                }
                if (key.isReadable()) {
                    read.clear();
                    int n = channel.read(read);
                    if (n < 0) {
                        throw new IOException("closed by the server");
                    }
                    read.flip();
                    byte[] bytes = new byte[read.remaining()];
                    read.get(bytes);
                    String text = stream.tail + new String(bytes, StandardCharsets.ISO_8859_1);
                    if (!stream.statusChecked) {
                        if (!text.startsWith("HTTP/1.1 200")) {
                            throw new IOException("not a stream: " + text.lines().findFirst().orElse(""));
                        }
                        stream.statusChecked = true;
                    }
                    if (!stream.connected && text.contains("event: feed.connected")) {
                        stream.connected = true;
                        counts[0]++;
                    }
                    if (marker[0] != null && stream.markerAt == 0 && text.contains(marker[0])) {
                        stream.markerAt = System.nanoTime();
                        counts[2]++;
                    }
                    stream.tail = text.length() > 128 ? text.substring(text.length() - 128) : text;
                }
            } catch (IOException e) {
                if (!stream.connected) {
                    counts[1]++;
                }
                stream.closed = true;
                key.cancel();
                channel.close();
            }
        }
        selector.selectedKeys().clear();
        return counts;
    }

    private StreamFanoutBench() {
    }
}
