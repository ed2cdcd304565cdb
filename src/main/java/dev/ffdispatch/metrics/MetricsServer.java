package dev.ffdispatch.metrics;

import dev.ffdispatch.posix.NamedThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} (Prometheus text format) on {@code metrics.listen}: a few lines of
 * HTTP/1.1 over a plain server socket, one request per connection. Each client must send its
 * request line and headers within {@link #HEADER_TIMEOUT}, and {@link #WORKERS} connections are
 * served at once, so a half-sent request holds one worker for a few seconds, never every scrape.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** How long a client may take to send its request line and headers. */
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(5);
    /** Connections served at once; more wait in a short queue, beyond that they are closed. */
    static final int WORKERS = 4;
    private static final int QUEUE = 32;
    /** A scrape request is a few hundred bytes; anything longer is not one. */
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final ServerSocket socket;
    private final PrometheusMetrics metrics;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;

    private MetricsServer(ServerSocket socket, PrometheusMetrics metrics) {
        this.socket = socket;
        this.metrics = metrics;
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
            NamedThreads.factory("metrics-http"));
        this.acceptor = NamedThreads.create("metrics-accept", this::acceptLoop);
    }

    /**
     * Binds {@code listen} ({@code host:port}; IPv6 as {@code [::1]:9464}; port 0 picks a free one).
     * Whether the address may be reachable from other machines is the config's decision
     * ({@code metrics.allow_remote}).
     *
     * @throws IOException when the address is taken or not local, naming it and the key to change
     */
    public static MetricsServer start(String listen, PrometheusMetrics metrics) throws IOException {
        InetSocketAddress address = address(listen);
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address, 64);
        } catch (IOException e) {
            socket.close();
            throw new IOException("metrics.listen " + listen + ": cannot listen (" + e.getMessage()
                + "); choose a free local host:port or set metrics.listen: \"\" to turn metrics off", e);
        }
        MetricsServer server = new MetricsServer(socket, metrics);
        server.acceptor.start();
        LOG.info("metrics(listen={}) serving /metrics", server.address());
        return server;
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Where to scrape: {@code http://host:port/metrics} at the bound address. */
    public String url() {
        InetSocketAddress bound = address();
        String host = bound.getHostString();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + bound.getPort() + "/metrics";
    }

    static InetSocketAddress address(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("metrics.listen '" + listen + "' is not host:port (e.g. 127.0.0.1:9464)");
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(listen.substring(colon + 1)));
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("metrics: accept failed: {}", e.toString());
                }
                continue;
            }
            try {
                workers.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                LOG.warn("metrics: {} connections busy and {} waiting; closed one from {}", WORKERS, QUEUE,
                    client.getRemoteSocketAddress());
                closeQuietly(client);
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            String[] request = readRequest(client);
            if (request == null) {
                return;
            }
            OutputStream out = client.getOutputStream();
            String method = request[0];
            String path = request[1].contains("?") ? request[1].substring(0, request[1].indexOf('?')) : request[1];
            boolean head = "HEAD".equals(method);
            if (!"GET".equals(method) && !head) {
                reply(out, 405, "Method Not Allowed", "text/plain", "use GET\n", false);
            } else if (!"/metrics".equals(path)) {
                reply(out, 404, "Not Found", "text/plain", "see /metrics\n", head);
            } else {
                scrape(out, head);
            }
        } catch (SocketTimeoutException e) {
            LOG.warn("metrics: request from {} not complete within {} ms, closed", client.getRemoteSocketAddress(),
                HEADER_TIMEOUT.toMillis());
        } catch (IOException e) {
            LOG.debug("metrics: connection from {} ended: {}", client.getRemoteSocketAddress(), e.toString());
        }
    }

    private void scrape(OutputStream out, boolean head) throws IOException {
        String body;
        try {
            body = metrics.scrape();
        } catch (RuntimeException e) {
            LOG.warn("metrics: scrape failed: {}", e.toString());
            reply(out, 500, "Internal Server Error", "text/plain", "scrape failed: " + e + "\n", head);
            return;
        }
        reply(out, 200, "OK", CONTENT_TYPE, body, head);
    }

    /**
     * The request line split in method, target, version, after reading the headers up to the
     * blank line; null when the client closed first or sent something else than HTTP.
     */
    private static String[] readRequest(Socket client) throws IOException {
        long deadline = System.nanoTime() + HEADER_TIMEOUT.toNanos();
        InputStream in = client.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int newlines = 0;
        while (newlines < 2) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("headers not complete");
            }
            client.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (head.size() >= MAX_HEADER_BYTES) {
                reply(client.getOutputStream(), 431, "Request Header Fields Too Large", "text/plain", "too long\n", false);
                return null;
            }
            head.write(b);
            newlines = b == '\n' ? newlines + 1 : b == '\r' ? newlines : 0;
        }
        String firstLine = head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        String[] parts = firstLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
            reply(client.getOutputStream(), 400, "Bad Request", "text/plain", "not an HTTP request\n", false);
            return null;
        }
        return parts;
    }

    private static void reply(OutputStream out, int status, String reason, String type, String body, boolean head)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String header = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
            + bytes.length + "\r\nConnection: close\r\n\r\n";
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(bytes);
        }
        out.flush();
    }

    private static void closeQuietly(Socket client) {
        try {
            client.close();
        } catch (IOException e) {
            // refused connection: nothing more to do with it
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("metrics: close: {}", e.toString());
        }
        workers.shutdownNow();
    }
}
