package dev.ffdispatch.cli;

import dev.ffdispatch.store.HostChanges;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code ffdispatch host set <name> [options]}: changes only what is given. */
@Command(name = "set", mixinStandardHelpOptions = true, description = "Change a host's settings; others stay.")
final class HostSetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<name>", description = "The host's name (see 'ffdispatch host list').")
    String name;

    @Option(names = "--address", paramLabel = "<address>", description = "New host name or IP address.")
    String address;

    @Option(names = "--no-maps", description = "Remove all path mappings.")
    boolean noMaps;

    @Mixin
    HostOptions options;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        if (noMaps && options.maps != null) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--no-maps and --map contradict each other; give one");
        }
        HostChanges changes = new HostChanges(address, options.port, options.user, options.weight,
                options.maxJobs(true), options.ffmpeg, options.ffprobe, noMaps ? List.of() : options.mappings());
        if (changes.isEmpty()) {
            throw new CliException(AdminExitCodes.INVALID_INPUT,
                    "nothing to change for host '" + name + "'; give an option, e.g. --weight 4 (see 'ffdispatch host set --help')");
        }
        HostRecord updated;
        try (Store store = ctx.openStore()) {
            updated = store.updateHost(name, changes);
        }
        ctx.out().println("updated host " + new HostView(ctx.config()).summary(updated));
        return AdminExitCodes.OK;
    }
}
