package dev.ffdispatch.cli;

import dev.ffdispatch.config.Config;
import dev.ffdispatch.daemon.Daemon;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ffdispatch daemon}: runs the resident service in the foreground until SIGTERM/SIGINT. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = {"Run the dispatcher daemon in the foreground (systemd runs this).",
        "Stops gracefully on SIGTERM: running jobs get daemon.shutdown_grace to end."})
final class DaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Config config = ctx.config();
        LogSetup.apply(config.log().level(), config.log().file());
        Daemon daemon;
        try {
            daemon = Daemon.start(config);
        } catch (IOException e) {
            throw new CliException(AdminExitCodes.ERROR, "daemon did not start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and SIGINT run shutdown hooks: stop accepting, let jobs end, close in order.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
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
