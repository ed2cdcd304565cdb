package dev.ffdispatch.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ffdispatch log [-f] [-n <lines>]}: the daemon's log, wherever this install keeps it. */
@Command(name = "log", mixinStandardHelpOptions = true,
    description = {"Show the daemon's log.",
        "From log.file when it is set, else from the systemd journal (journalctl -u ffdispatch.service).",
        "In a container without either, the log is the container's output (docker logs)."})
final class LogCommand implements Callable<Integer> {
    /** Present while systemd runs as the init system (sd_booted(3)). */
    static final Path SYSTEMD_RUNNING = Path.of("/run/systemd/system");

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as the daemon writes them, until Ctrl-C.")
    boolean follow;

    @Option(names = {"-n", "--lines"}, paramLabel = "<n>", defaultValue = "100",
        description = "Start with the last n lines (default: ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = CliContext.of(spec);
        if (lines < 0) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--lines " + lines + " is negative; give 0 or more");
        }
        DaemonLog log = new DaemonLog(ctx.config().log().file(), SYSTEMD_RUNNING, ctx.env().getOrDefault("PATH", "/usr/bin:/bin"));
        return log.show(lines, follow, ctx.out(), ctx.err());
    }
}
