package dev.ffdispatch.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard queries only series the daemon really exports. */
class DashboardTest {
    private static final Path DASHBOARD = Path.of("packaging/grafana/ffdispatch.json");
    private static final Pattern SERIES = Pattern.compile("\\b((?:ffdispatch|jvm|process|system)_[a-z_]+)");

    @Test
    void everySeriesInTheDashboardIsInAScrape() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = SERIES.matcher(target.get("expr").asText());
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertTrue(used.size() >= 15, used.toString());
        String scrape;
        try (PrometheusMetrics metrics = new PrometheusMetrics()) {
            metrics.bindHosts(() -> List.of(new HostSample("w1", true, true, -1, 0, 0)));
            metrics.jobStarted("w1", "ffmpeg");
            metrics.jobFinished("w1", "ffmpeg", "ok", Duration.ofSeconds(1));
            metrics.dispatchLatency(Duration.ofMillis(5));
            metrics.fallback("routing");
            metrics.hostPolled("w1", 0, Duration.ofMillis(3));
            scrape = metrics.scrape();
        }
        for (String series : used) {
            assertTrue(scrape.contains("\n" + series + "{") || scrape.contains("\n" + series + " "),
                series + " is in the dashboard but not exported");
        }
    }
}
