package dev.ffdispatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest {
    private final PrometheusMetrics metrics = new PrometheusMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void jobCountersActiveGaugeAndFallbacksUseTheDocumentedNames() {
        metrics.jobStarted("w1", "ffmpeg");
        metrics.jobStarted("w1", "ffmpeg");
        metrics.jobStarted("local", "ffprobe");
        metrics.jobFinished("w1", "ffmpeg", "ok", Duration.ofSeconds(2));
        metrics.fallback("no_worker");
        metrics.dispatchLatency(Duration.ofMillis(7));
        metrics.hostPolled("w1", 3, Duration.ofMillis(4));
        String text = metrics.scrape();
        assertEquals(2.0, PromText.value(text, "ffdispatch_jobs_started_total", "host=\"w1\"", "tool=\"ffmpeg\""), text);
        assertEquals(1.0, PromText.value(text, "ffdispatch_jobs_finished_total", "host=\"w1\"", "outcome=\"ok\""), text);
        assertEquals(1.0, PromText.value(text, "ffdispatch_jobs_active", "host=\"w1\""), text);
        assertEquals(1.0, PromText.value(text, "ffdispatch_jobs_active", "host=\"local\""), text);
        assertEquals(1.0, PromText.value(text, "ffdispatch_fallbacks_total", "reason=\"no_worker\""), text);
        assertEquals(1.0, PromText.value(text, "ffdispatch_dispatch_latency_seconds_bucket", "le=\"0.01\""), text);
        assertEquals(0.0, PromText.value(text, "ffdispatch_dispatch_latency_seconds_bucket", "le=\"0.005\""), text);
        assertEquals(1.0, PromText.value(text, "ffdispatch_poll_latency_seconds_count", "host=\"w1\""), text);
        assertEquals(2.0, PromText.value(text, "ffdispatch_job_duration_seconds_sum", "host=\"w1\""), text);
        assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics are bound");
        assertTrue(text.contains("jvm_threads_live_threads"), "thread metrics are bound");
        assertTrue(text.contains("system_cpu_count"), "processor metrics are bound");
    }

    @Test
    void hostGaugesFollowTheSupplierAndForgetRemovedHosts() {
        List<HostSample> hosts = new ArrayList<>(List.of(new HostSample("a", true, true, -4, 1, 3),
            new HostSample("b", false, false, 500, 0, -1)));
        metrics.bindHosts(() -> hosts);
        String first = metrics.scrape();
        assertEquals(1.0, PromText.value(first, "ffdispatch_host_up", "host=\"a\""), first);
        assertEquals(0.0, PromText.value(first, "ffdispatch_host_up", "host=\"b\""), first);
        assertEquals(-4.0, PromText.value(first, "ffdispatch_host_score", "host=\"a\""), first);
        assertEquals(1.0, PromText.value(first, "ffdispatch_host_foreign_jobs", "host=\"a\""), first);
        assertEquals(3.0, PromText.value(first, "ffdispatch_host_ffmpeg_processes", "host=\"a\""), first);
        hosts.remove(1);
        String second = metrics.scrape();
        assertFalse(second.contains("host=\"b\""), second);
    }

    @Test
    void aFailingSupplierStillLeavesAScrape() {
        metrics.bindHosts(() -> {
            throw new IllegalStateException("boom");
        });
        assertTrue(metrics.scrape().contains("jvm_memory_used_bytes"));
    }

    @Test
    void theServerAnswersGetMetricsAndRefusesOtherPaths() throws IOException, InterruptedException {
        metrics.jobStarted("w1", "ffmpeg");
        try (MetricsServer server = MetricsServer.start("127.0.0.1:0", metrics)) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + server.address().getPort();
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertEquals(1.0, PromText.value(ok.body(), "ffdispatch_jobs_started_total", "host=\"w1\""));
            HttpResponse<String> other = client.send(HttpRequest.newBuilder(URI.create(base + "/nope"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
        }
    }

    @Test
    void aTakenPortIsAnErrorNamingTheKey() throws IOException {
        try (MetricsServer first = MetricsServer.start("127.0.0.1:0", metrics)) {
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> MetricsServer.start("127.0.0.1:" + first.address().getPort(), metrics));
            assertTrue(e.getMessage().contains("metrics.listen"), e.getMessage());
        }
    }

    @Test
    void ipv6ListenAddressesMayBeBracketed() {
        assertTrue(MetricsServer.address("[::1]:9464").getAddress().isLoopbackAddress());
        assertEquals(9464, MetricsServer.address("[::1]:9464").getPort());
        assertEquals("127.0.0.1", MetricsServer.address("127.0.0.1:9464").getHostString());
    }

    @Test
    void aHalfSentRequestDoesNotBlockScrapesAndIsClosedAfterTheHeaderTimeout() throws Exception {
        try (MetricsServer server = MetricsServer.start("127.0.0.1:0", metrics);
             java.net.Socket stalled = new java.net.Socket("127.0.0.1", server.address().getPort())) {
            stalled.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.address().getPort() + "/metrics")).timeout(dev.ffdispatch.TestTimeouts.SHORT).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            stalled.setSoTimeout((int) (MetricsServer.HEADER_TIMEOUT.toMillis() + dev.ffdispatch.TestTimeouts.SHORT.toMillis()));
            long start = System.nanoTime();
            byte[] rest = stalled.getInputStream().readAllBytes(); // returns when the server closes
            assertTrue(System.nanoTime() - start < MetricsServer.HEADER_TIMEOUT.toNanos() + dev.ffdispatch.TestTimeouts.SHORT.toNanos(),
                new String(rest, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
