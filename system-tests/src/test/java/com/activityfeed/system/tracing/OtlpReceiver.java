package com.activityfeed.system.tracing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A collector for the system tests: an OTLP/HTTP receiver ({@code POST /v1/traces},
 * {@code application/x-protobuf}) on a free loopback port, keeping the latest spans in memory.
 * It decodes only the fields the tests read (service name, trace and span ids, parent, name,
 * kind, string and integer attributes), straight from the protobuf wire format of
 * {@code opentelemetry/proto/collector/trace/v1/trace_service.proto}.
 */
public final class OtlpReceiver implements AutoCloseable {
    private static final int KEEP = 50_000;

    /** One received span; ids in lower-case hex, {@code parentSpanId} empty for a root. */
    public record Span(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
                       Map<String, Object> attributes) {
        public static final int SERVER = 2;
        public static final int PRODUCER = 4;
        public static final int CONSUMER = 5;
    }

    private final HttpServer server;
    private final ArrayDeque<Span> spans = new ArrayDeque<>();
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/v1/traces", this::traces);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "otlp-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** The endpoint for {@code OTEL_EXPORTER_OTLP_ENDPOINT} (protocol {@code http/protobuf}). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private volatile String lastRefusal = "none";

    /** What arrived so far, for a failure message: requests, spans kept, the last refusal, the newest spans. */
    public synchronized String summary() {
        List<Span> newest = new ArrayList<>(spans).subList(Math.max(0, spans.size() - 8), spans.size());
        return requests.get() + " export requests, " + spans.size() + " spans kept, last refused request: "
                + lastRefusal + ", newest spans: " + newest;
    }

    public synchronized List<Span> trace(String traceId) {
        List<Span> found = new ArrayList<>();
        for (Span span : spans) {
            if (span.traceId().equals(traceId)) {
                found.add(span);
            }
        }
        return found;
    }

    private void traces(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            List<Span> received = new ArrayList<>();
            try {
                request(new Wire(body), received);
            } catch (RuntimeException e) {
                lastRefusal = e + " (" + body.length + " bytes, " + exchange.getRequestHeaders().entrySet() + ")";
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            synchronized (this) {
                for (Span span : received) {
                    if (spans.size() == KEEP) {
                        spans.pollFirst();
                    }
                    spans.addLast(span);
                }
            }
            // an empty ExportTraceServiceResponse: everything accepted
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private static void request(Wire w, List<Span> out) {
        while (w.more()) {
            int tag = w.tag();
            if (tag >>> 3 == 1) {
                resourceSpans(w.message(), out);
            } else {
                w.skip(tag);
            }
        }
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    private static void resourceSpans(Wire w, List<Span> out) {
        String service = null;
        List<Wire> scopes = new ArrayList<>();
        while (w.more()) {
            int tag = w.tag();
            switch (tag >>> 3) {
                case 1 -> {
                    // Resource { repeated KeyValue attributes = 1; }
                    Wire resource = w.message();
                    Map<String, Object> attributes = new HashMap<>();
                    while (resource.more()) {
                        int t = resource.tag();
                        if (t >>> 3 == 1) {
                            keyValue(resource.message(), attributes);
                        } else {
                            resource.skip(t);
                        }
                    }
                    service = (String) attributes.get("service.name");
                }
                case 2 -> scopes.add(w.message());
                default -> w.skip(tag);
            }
        }
        for (Wire scope : scopes) {
            // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
            while (scope.more()) {
                int tag = scope.tag();
                if (tag >>> 3 == 2) {
                    out.add(span(scope.message(), service));
                } else {
                    scope.skip(tag);
                }
            }
        }
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5;
    //        SpanKind kind = 6; repeated KeyValue attributes = 9; ... }
    private static Span span(Wire w, String service) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        Map<String, Object> attributes = new HashMap<>();
        while (w.more()) {
            int tag = w.tag();
            switch (tag >>> 3) {
                case 1 -> traceId = HexFormat.of().formatHex(w.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(w.bytes());
                case 4 -> parent = HexFormat.of().formatHex(w.bytes());
                case 5 -> name = new String(w.bytes(), java.nio.charset.StandardCharsets.UTF_8);
                case 6 -> kind = (int) w.varint();
                case 9 -> keyValue(w.message(), attributes);
                default -> w.skip(tag);
            }
        }
        return new Span(service, traceId, spanId, parent, name, kind, attributes);
    }

    // KeyValue { string key = 1; AnyValue value = 2; }
    // AnyValue { string string_value = 1; bool bool_value = 2; int64 int_value = 3; ... }
    private static void keyValue(Wire w, Map<String, Object> into) {
        String key = null;
        Object value = null;
        while (w.more()) {
            int tag = w.tag();
            if (tag >>> 3 == 1) {
                key = new String(w.bytes(), java.nio.charset.StandardCharsets.UTF_8);
            } else if (tag >>> 3 == 2) {
                Wire any = w.message();
                while (any.more()) {
                    int t = any.tag();
                    switch (t >>> 3) {
                        case 1 -> value = new String(any.bytes(), java.nio.charset.StandardCharsets.UTF_8);
                        case 3 -> value = any.varint();
                        default -> any.skip(t);
                    }
                }
            } else {
                w.skip(tag);
            }
        }
        if (key != null && value != null) {
            into.put(key, value);
        }
    }

    /** The protobuf wire format, as far as the fields above need it. */
    private static final class Wire {
        private final byte[] data;
        private int pos;
        private final int end;

        Wire(byte[] data) {
            this(data, 0, data.length);
        }

        private Wire(byte[] data, int from, int end) {
            this.data = data;
            this.pos = from;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = data[pos++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        byte[] bytes() {
            int length = (int) varint();
            byte[] value = java.util.Arrays.copyOfRange(data, pos, pos + length);
            pos += length;
            return value;
        }

        Wire message() {
            int length = (int) varint();
            Wire inner = new Wire(data, pos, pos + length);
            pos += length;
            return inner;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int length = (int) varint(); // read first: "pos += varint()" would add to the old pos
                    pos += length;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
