package dev.ffdispatch.cli;

import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.NewHost;
import dev.ffdispatch.store.PathMap;
import dev.ffdispatch.store.Store;
import dev.ffdispatch.store.WakeOnLan;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ffdispatch host add <address> [options]}. Its option texts say what add does; {@code set} has its own. */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = {"Add a worker host.", "Then pin its SSH host key: ffdispatch host trust <name>."})
final class HostAddCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<address>",
        description = "Host name or IP address of the worker (IPv6 without brackets; the port goes in --port).")
    String address;

    @Option(names = "--name", paramLabel = "<name>", description = "Name used in every other command (default: the address).")
    String name;

    @Option(names = "--weight", paramLabel = "<n>",
        description = "Relative capacity 1..1000 (default: 1). Weight 4 gets about twice the jobs of weight 2.")
    Integer weight;

    @Option(names = "--user", paramLabel = "<u>", description = "SSH login (default: ssh.user from the config).")
    String user;

    @Option(names = "--port", paramLabel = "<p>", description = "SSH port 1..65535 (default: 22).")
    Integer port;

    @Option(names = "--max-jobs", paramLabel = "<n>", description = "At most this many jobs at once, 1..1000 (default: no cap).")
    String maxJobs;

    @Option(names = "--ffmpeg", paramLabel = "<path>",
        description = "ffmpeg on the worker: an absolute path or a command name (default: ffmpeg on its PATH).")
    String ffmpeg;

    @Option(names = "--ffprobe", paramLabel = "<path>",
        description = "ffprobe on the worker (default: the ffprobe beside --ffmpeg when that is a path, else ffprobe on its PATH).")
    String ffprobe;

    @Option(names = "--map", paramLabel = "<local>=<remote>",
        description = "Path prefix as Jellyfin sees it = as the worker sees it; both absolute. Repeatable.")
    List<String> maps;

    @Option(names = "--wake-mac", paramLabel = "<mac>",
        description = "The worker's MAC address for Wake-on-LAN, six hex bytes as 'ip link' shows them (default: no Wake-on-LAN)."
            + " When the worker is down and a job would go to it, it is sent a magic packet, at most once per"
            + " poll.wake_interval.")
    String wakeMac;

    @Option(names = "--wake-to", paramLabel = "<host>:<port>",
        description = "Where the magic packet goes, usually the worker LAN's broadcast address (default: "
            + WakeOnLan.DEFAULT_TO + "). Needs --wake-mac.")
    String wakeTo;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        List<PathMap> mappings = HostValues.mappings(maps);
        NewHost host = new NewHost(name, address, port == null ? NewHost.DEFAULT_PORT : port, user,
            weight == null ? NewHost.DEFAULT_WEIGHT : weight, HostValues.maxJobs(maxJobs, false), ffmpeg, ffprobe,
            mappings == null ? List.of() : mappings, HostValues.wake(wakeMac, wakeTo, null));
        HostRecord added;
        try (Store store = ctx.openStore()) {
            added = store.addHost(host);
        }
        ctx.out().println("added host " + new HostView(ctx.config()).summary(added));
        return AdminExitCodes.OK;
    }
}
