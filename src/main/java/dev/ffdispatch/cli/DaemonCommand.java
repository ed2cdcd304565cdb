package dev.ffdispatch.cli;

import dev.ffdispatch.config.Config;
import dev.ffdispatch.daemon.Daemon;
import dev.ffdispatch.metrics.DispatchMetrics;
import dev.ffdispatch.metrics.MetricsServer;
import dev.ffdispatch.metrics.PrometheusMetrics;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ffdispatch daemon}: runs the resident service in the foreground until SIGTERM/SIGINT. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = "Run the dispatcher daemon in the foreground (systemd runs this). Stops gracefully on SIGTERM.")
final class DaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Config config = ctx.config();
        LogSetup.apply(config.log().level(), config.log().file());
        boolean metricsOn = !config.metrics().listen().isEmpty();
        PrometheusMetrics metrics = metricsOn ? new PrometheusMetrics() : null;
        Daemon daemon;
        MetricsServer metricsServer = null;
        try {
            daemon = Daemon.start(config, metricsOn ? metrics : DispatchMetrics.NOOP);
        } catch (IOException e) {
            throw new CliException(AdminExitCodes.ERROR, "daemon did not start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
        try {
            metricsServer = metricsOn ? MetricsServer.start(config.metrics().listen(), metrics) : null;
        } catch (IOException e) {
            daemon.close();
            throw new CliException(AdminExitCodes.ERROR, "daemon did not start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
        MetricsServer endpoint = metricsServer;
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and SIGINT run shutdown hooks: stop accepting, let jobs end, close in order.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            if (endpoint != null) {
                endpoint.close();
                metrics.close();
            }
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return AdminExitCodes.OK;
    }
}
