package com.activityfeed.system.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on loopback in front of feed replicas: each new connection goes to the first
 * replica that accepts it (so a killed one is passed over, as a load balancer does), and
 * {@link #cut()} drops every open connection, as a gateway restart or a network fault would.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<Integer> backends;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "cutting-proxy");
        thread.setDaemon(true);
        return thread;
    });

    CuttingProxy(List<Integer> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Drops every open connection; new ones are accepted as before. */
    void cut() {
        for (Socket socket : open) {
            close(socket);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> connect(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void connect(Socket client) {
        for (int port : backends) {
            Socket backend = new Socket();
            try {
                backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            } catch (IOException refused) {
                close(backend);
                continue;
            }
            open.add(client);
            open.add(backend);
            threads.execute(() -> pipe(client, backend));
            threads.execute(() -> pipe(backend, client));
            return;
        }
        close(client);
    }

    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed: the other one goes too
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        cut();
        threads.shutdownNow();
    }
}
