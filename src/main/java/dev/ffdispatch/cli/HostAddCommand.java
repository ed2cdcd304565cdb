package dev.ffdispatch.cli;

import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.NewHost;
import dev.ffdispatch.store.PathMap;
import dev.ffdispatch.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code ffdispatch host add <address> [options]}. */
@Command(name = "add", mixinStandardHelpOptions = true, description = "Add a worker host.")
final class HostAddCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<address>", description = "Host name or IP address of the worker.")
    String address;

    @Option(names = "--name", paramLabel = "<name>", description = "Name used in every other command (default: the address).")
    String name;

    @Mixin
    HostOptions options;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        Integer maxJobs = options.maxJobs(false);
        List<PathMap> maps = options.mappings();
        NewHost host = new NewHost(name, address, options.port == null ? NewHost.DEFAULT_PORT : options.port,
                options.user, options.weight == null ? NewHost.DEFAULT_WEIGHT : options.weight, maxJobs,
                options.ffmpeg, options.ffprobe, maps == null ? List.of() : maps);
        HostRecord added;
        try (Store store = ctx.openStore()) {
            added = store.addHost(host);
        }
        ctx.out().println("added host " + new HostView(ctx.config()).summary(added));
        return AdminExitCodes.OK;
    }
}
