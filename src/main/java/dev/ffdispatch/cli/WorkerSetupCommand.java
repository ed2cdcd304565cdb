package dev.ffdispatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ffdispatch.config.Config;
import dev.ffdispatch.config.DatabaseLocation;
import dev.ffdispatch.doctor.Doctor;
import dev.ffdispatch.doctor.FfmpegVersion;
import dev.ffdispatch.store.PathMap;
import dev.ffdispatch.store.Store;
import dev.ffdispatch.workersetup.SetupReport;
import dev.ffdispatch.workersetup.SetupRequest;
import dev.ffdispatch.workersetup.WorkerSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ffdispatch worker-setup <address>}: checks a worker against docs/workers.md before or after adding it. */
@Command(name = "worker-setup", mixinStandardHelpOptions = true,
    description = {"Check a worker before (or after) adding it, and print the 'host add' line to run.",
        "Checks: reachable, host key, login with the ffdispatch key, login shell, OS, ffmpeg/ffprobe and hwaccels,"
            + " shared directories and their mounts, pgrep.",
        "One line per check: [ok], [warn] or [FAIL] with a fix.",
        "Exits 0 when nothing FAILs, 1 otherwise. Nothing is written (known_hosts included)."})
final class WorkerSetupCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long LOCAL_VERSION_SECONDS = 10;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<address>", description = "Host name or IP address of the worker.")
    String address;

    @Option(names = "--name", paramLabel = "<name>", description = "The name for 'host add' (default: the address).")
    String name;

    @Option(names = "--user", paramLabel = "<u>", description = "SSH login (default: ssh.user from the config).")
    String user;

    @Option(names = "--port", paramLabel = "<p>", description = "SSH port (default: 22).")
    int port = 22;

    @Option(names = "--path", paramLabel = "<dir>",
        description = "A directory the worker must see and write, as Jellyfin sees it (media roots, $TMPDIR/jellyfin). Repeatable.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--transcodes", paramLabel = "<dir>",
        description = "Jellyfin's transcode directory; must be a share on the worker.")
    Path transcodes;

    @Option(names = "--map", paramLabel = "<local>=<remote>",
        description = "Path prefix as Jellyfin sees it = as the worker sees it (as in 'host add'). Repeatable.")
    List<String> maps = new ArrayList<>();

    @Option(names = "--json", description = "Print {ok, checks: [{check, status, detail, fix}], host_add, trust}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = CliContext.of(spec);
        if (port < 1 || port > 65535) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--port " + port + " is out of range; give 1..65535 (22 by default)");
        }
        List<PathMap> mappings = maps.stream().map(PathMap::parse).toList();
        Config config = ctx.config();
        SetupRequest request = new SetupRequest(address, name == null ? address : name, port,
            user == null || user.isBlank() ? config.ssh().user() : user, paths, transcodes, mappings);
        if (!(config.state().location() instanceof DatabaseLocation.Postgres)) {
            return report(ctx, new WorkerSetup(config, localVersion(ctx, config)).run(request));
        }
        // Shared state: the pinned keys are those every server of the pool reads.
        try (Store store = ctx.openStore()) {
            return report(ctx, new WorkerSetup(config, localVersion(ctx, config),
                store.knownHosts(config.state().knownHosts())).run(request));
        }
    }

    private int report(CliContext ctx, SetupReport report) throws Exception {
        print(ctx.out(), report);
        return report.ok() ? AdminExitCodes.OK : AdminExitCodes.ERROR;
    }

    private static String localVersion(CliContext ctx, Config config) {
        String program = new Doctor(config, ctx.env()).localFfmpeg();
        return program == null ? null : FfmpegVersion.local(program, LOCAL_VERSION_SECONDS);
    }

    private void print(PrintWriter out, SetupReport report) throws Exception {
        if (json) {
            ObjectNode root = CheckPrinter.json(JSON.createObjectNode(), report.checks());
            root.put("host_add", report.hostAdd()).put("trust", report.trust());
            out.println(JSON.writeValueAsString(root));
            return;
        }
        CheckPrinter.text(out, report.checks());
        out.println();
        out.println(report.ok() ? "next, on this machine:" : "after fixing the FAILs, on this machine:");
        out.println("  " + report.hostAdd());
        if (report.trust() != null) {
            out.println("  " + report.trust());
        }
    }
}
