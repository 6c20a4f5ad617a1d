package org.bushfire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a real Elasticsearch node, for faults a shared node cannot be put through:
 * <ul>
 *   <li>{@link #holdResponses()}: requests pass at once, every response is held back until {@link #answer()} —
 *       a node that accepted a bulk and is taking its time;
 *   <li>{@link #goDown()}: every connection is reset and new ones are refused (the port is closed), which is
 *       what a client sees of a killed node, until {@link #comeBack()} listens on the same port again.
 * </ul>
 * It counts the bulk requests it passed on, so a test knows a bulk is in flight.
 */
public final class ElasticsearchProxy implements AutoCloseable {
    private final URI upstream;
    private final int port;
    private final Object gate = new Object();
    private final AtomicInteger bulks = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean holding;
    private volatile ServerSocket server;
    private volatile boolean closed;

    public ElasticsearchProxy(URI upstream) {
        this.upstream = upstream;
        listen(0);
        this.port = server.getLocalPort();
    }

    private void listen(int onPort) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
            server = socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerSocket accepting = server;
        Thread acceptor = new Thread(() -> accept(accepting), "elasticsearch-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Bulk requests passed on to the node so far (each may still wait for its response). */
    public int bulksSent() {
        return bulks.get();
    }

    /** From now on responses wait until {@link #answer()}. */
    public void holdResponses() {
        holding = true;
    }

    /** Responses flow again, the held ones first. */
    public void answer() {
        synchronized (gate) {
            holding = false;
            gate.notifyAll();
        }
    }

    /** Resets every connection and closes the port: clients get connection refused. */
    public void goDown() throws IOException {
        server.close();
        sockets.forEach(ElasticsearchProxy::closeQuietly);
        sockets.clear();
    }

    /** Listens on the same port again. */
    public void comeBack() {
        listen(port);
    }

    private void accept(ServerSocket on) {
        while (!on.isClosed()) {
            try {
                Socket client = on.accept();
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
                        synchronized (gate) {
                            while (holding && !closed) {
                                gate.wait();
                            }
                        }
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
        }, "elasticsearch-proxy-" + (request ? "request" : "response"));
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
        closed = true;
        answer();
        goDown();
    }
}
