package dev.ffdispatch.cli;

import dev.ffdispatch.store.HostChanges;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.Store;
import dev.ffdispatch.store.WakeOnLan;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ffdispatch host set <name> [options]}: changes only what is given. */
@Command(name = "set", mixinStandardHelpOptions = true,
    description = {"Change a host's settings.", "Only the options given change; the others keep their values."})
final class HostSetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<name>", description = HostCommand.NAME)
    String name;

    @Option(names = "--address", paramLabel = "<address>", description = "New host name or IP address (IPv6 without brackets).")
    String address;

    @Option(names = "--weight", paramLabel = "<n>",
        description = "Relative capacity 1..1000. Weight 4 gets about twice the jobs of weight 2.")
    Integer weight;

    @Option(names = "--user", paramLabel = "<u>", description = "SSH login; \"\" goes back to ssh.user from the config.")
    String user;

    @Option(names = "--port", paramLabel = "<p>", description = "SSH port 1..65535.")
    Integer port;

    @Option(names = "--max-jobs", paramLabel = "<n>", description = "At most this many jobs at once, 1..1000; none removes the cap.")
    String maxJobs;

    @Option(names = "--ffmpeg", paramLabel = "<path>",
        description = "ffmpeg on the worker: an absolute path or a command name; \"\" goes back to ffmpeg on its PATH.")
    String ffmpeg;

    @Option(names = "--ffprobe", paramLabel = "<path>",
        description = "ffprobe on the worker; \"\" goes back to the ffprobe beside --ffmpeg (or on its PATH).")
    String ffprobe;

    @Option(names = "--map", paramLabel = "<local>=<remote>",
        description = "Path prefix as Jellyfin sees it = as the worker sees it; both absolute. Repeatable."
            + " The mappings given replace all of the host's mappings.")
    List<String> maps;

    @Option(names = "--no-maps", description = "Remove all path mappings.")
    boolean noMaps;

    @Option(names = "--wake-mac", paramLabel = "<mac>",
        description = "The worker's MAC address for Wake-on-LAN, six hex bytes as 'ip link' shows them. When the worker is down and"
            + " a job would go to it, it is sent a magic packet, at most once per poll.wake_interval. Given without"
            + " --wake-to, the packet goes to " + WakeOnLan.DEFAULT_TO + ".")
    String wakeMac;

    @Option(names = "--wake-to", paramLabel = "<host>:<port>",
        description = "Where the magic packet goes, usually the worker LAN's broadcast address. Needs --wake-mac,"
            + " or a host that has one.")
    String wakeTo;

    @Option(names = "--no-wake", description = "Turn Wake-on-LAN off for this host.")
    boolean noWake;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        if (noMaps && maps != null) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--no-maps and --map contradict each other; give one");
        }
        if (noWake && (wakeMac != null || wakeTo != null)) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--no-wake and --wake-mac/--wake-to contradict each other; give one");
        }
        HostRecord updated;
        try (Store store = ctx.openStore()) {
            WakeOnLan wake = noWake ? HostChanges.NO_WAKE
                : wakeMac == null && wakeTo == null ? null : HostValues.wake(wakeMac, wakeTo, store.requireHost(name).wake());
            HostChanges changes = new HostChanges(address, port, user, weight, HostValues.maxJobs(maxJobs, true), ffmpeg,
                ffprobe, noMaps ? List.of() : HostValues.mappings(maps), wake);
            if (changes.isEmpty()) {
                throw new CliException(AdminExitCodes.INVALID_INPUT, "nothing to change for host '" + name
                    + "'; give an option, e.g. --weight 4 (see 'ffdispatch host set --help')");
            }
            updated = store.updateHost(name, changes);
        }
        ctx.out().println("updated host " + new HostView(ctx.config()).summary(updated));
        return AdminExitCodes.OK;
    }
}
