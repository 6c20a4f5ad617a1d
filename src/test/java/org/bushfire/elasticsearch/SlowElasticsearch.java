package org.bushfire.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a real Elasticsearch node that passes requests through at once but holds
 * every response back until {@link #answer()}: a node that accepted a bulk and is taking its time. It counts
 * the bulk requests it passed on, so a test knows a bulk is in flight.
 */
final class SlowElasticsearch implements AutoCloseable {
    private final URI upstream;
    private final ServerSocket server;
    private final CountDownLatch answering = new CountDownLatch(1);
    private final AtomicInteger bulks = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SlowElasticsearch(URI upstream) {
        this.upstream = upstream;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "slow-elasticsearch-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Bulk requests passed on to the node so far (each may still wait for its response). */
    int bulksSent() {
        return bulks.get();
    }

    /** From now on, responses flow. */
    void answer() {
        answering.countDown();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket node = new Socket(upstream.getHost(), upstream.getPort());
                sockets.add(client);
                sockets.add(node);
                pump(client, node, true);
                pump(node, client, false);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (request) {
                        // A request line starts a packet often enough for counting; bodies never hold "POST /".
                        String head = new String(buffer, 0, Math.min(n, 200), StandardCharsets.ISO_8859_1);
                        if (head.startsWith("POST /_bulk")) {
                            bulks.incrementAndGet();
                        }
                    } else {
                        answering.await();
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // a side closed: close the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "slow-elasticsearch-" + (request ? "request" : "response"));
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        answering.countDown();
        server.close();
        sockets.forEach(SlowElasticsearch::closeQuietly);
    }
}
