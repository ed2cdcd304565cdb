package dev.ffdispatch.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} (Prometheus text format) on {@code metrics.listen}, with the JDK's
 * own HTTP server: one thread, since a scrape every few seconds is all it ever sees.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService thread;

    private MetricsServer(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /**
     * Binds {@code listen} ({@code host:port}; IPv6 as {@code [::1]:9464}; port 0 picks a free one).
     *
     * @throws IOException when the address is taken or not local, naming it and the key to change
     */
    public static MetricsServer start(String listen, PrometheusMetrics metrics) throws IOException {
        InetSocketAddress address = address(listen);
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("metrics.listen " + listen + ": cannot listen (" + e.getMessage()
                + "); choose a free local host:port or set metrics.listen: \"\" to turn metrics off", e);
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        server.createContext("/metrics", exchange -> serve(exchange, metrics));
        server.createContext("/", exchange -> reply(exchange, 404, "see /metrics\n"));
        server.start();
        LOG.info("metrics(listen={}) serving /metrics", server.getAddress());
        return new MetricsServer(server, thread);
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
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

    private static void serve(HttpExchange exchange, PrometheusMetrics metrics) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            reply(exchange, 405, "use GET\n");
            return;
        }
        String body;
        try {
            body = metrics.scrape();
        } catch (RuntimeException e) {
            LOG.warn("metrics: scrape failed: {}", e.toString());
            reply(exchange, 500, "scrape failed: " + e + "\n");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        reply(exchange, 200, body);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
