package dev.ffdispatch.cli;

import dev.ffdispatch.store.HostChanges;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.Store;
import dev.ffdispatch.store.WakeOnLan;
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

    @Option(names = "--no-wake", description = "Turn Wake-on-LAN off for this host.")
    boolean noWake;

    @Mixin
    HostOptions options;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        if (noMaps && options.maps != null) {
            throw new CliException(ExitCode.INVALID_INPUT, "--no-maps and --map contradict each other; give one");
        }
        if (noWake && (options.wakeMac != null || options.wakeTo != null)) {
            throw new CliException(ExitCode.INVALID_INPUT, "--no-wake and --wake-mac/--wake-to contradict each other; give one");
        }
        HostRecord updated;
        try (Store store = ctx.openStore()) {
            WakeOnLan wake = noWake ? HostChanges.NO_WAKE
                    : options.wakeMac == null && options.wakeTo == null ? null : options.wake(store.requireHost(name).wake());
            HostChanges changes = new HostChanges(address, options.port, options.user, options.weight,
                    options.maxJobs(true), options.ffmpeg, options.ffprobe, noMaps ? List.of() : options.mappings(), wake);
            if (changes.isEmpty()) {
                throw new CliException(ExitCode.INVALID_INPUT, "nothing to change for host '" + name
                        + "'; give an option, e.g. --weight 4 (see 'ffdispatch host set --help')");
            }
            updated = store.updateHost(name, changes);
        }
        ctx.out().println("updated host " + new HostView(ctx.config()).summary(updated));
        return ExitCode.OK;
    }
}
