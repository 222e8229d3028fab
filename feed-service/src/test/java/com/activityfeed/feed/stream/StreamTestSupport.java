package com.activityfeed.feed.stream;

import com.activityfeed.feed.changes.TenantLog;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Appends real changes to the change log (the relay publishes them) and opens raw sockets. */
final class StreamTestSupport {
    private StreamTestSupport() {
    }

    static List<FeedChange> append(TenantLog changeLog, AgroalDataSource dataSource, String tenant, int count,
                                   String type, int padding) {
        List<FeedChange> appended = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID tileId = UUID.randomUUID();
            ObjectNode data = MessageCodec.mapper().createObjectNode()
                    .put("id", tileId.toString()).put("type", type).put("pad", "x".repeat(padding));
            appended.add(QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    return changeLog.lock(c, tenant).append(new TenantLog.Entry(FeedEvents.TILE_CREATED, tileId, null,
                            null, List.of(type), Instant.now(), data));
                }
            }));
        }
        return appended;
    }

    /**
     * Appends one change that never reaches {@code feed.changes} (its outbox row is deleted in the
     * same transaction): live streams see the next change skip a number.
     */
    static FeedChange appendUnrelayed(TenantLog changeLog, AgroalDataSource dataSource, String tenant) {
        UUID tileId = UUID.randomUUID();
        ObjectNode data = MessageCodec.mapper().createObjectNode().put("id", tileId.toString()).put("hidden", true);
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                FeedChange change = changeLog.lock(c, tenant).append(new TenantLog.Entry(FeedEvents.TILE_CREATED, tileId,
                        null, null, List.of("badge_earned"), Instant.now(), data));
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM change_outbox WHERE tenant_id = ? AND seq = ?")) {
                    ps.setString(1, tenant);
                    ps.setLong(2, change.seq());
                    ps.executeUpdate();
                }
                return change;
            }
        });
    }

    static void prune(AgroalDataSource dataSource, String tenant, long upToSeq) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM change_log WHERE tenant_id = ? AND seq <= ?")) {
            ps.setString(1, tenant);
            ps.setLong(2, upToSeq);
            ps.executeUpdate();
        }
    }

    /** A stream request on a plain socket: the test decides whether (and when) it reads. */
    static Socket rawStream(int port, String token, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + StreamRoute.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Reads until {@code marker} was seen; false at the end of the stream. */
    static boolean readUntil(InputStream in, String marker) throws IOException {
        byte[] buffer = new byte[4096];
        StringBuilder seen = new StringBuilder();
        int n;
        while ((n = in.read(buffer)) > 0) {
            seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            if (seen.indexOf(marker) >= 0) {
                return true;
            }
            if (seen.length() > 1 << 20) {
                seen.delete(0, seen.length() - marker.length());
            }
        }
        return false;
    }
}
