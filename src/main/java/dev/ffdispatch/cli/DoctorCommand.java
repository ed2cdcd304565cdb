package dev.ffdispatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ffdispatch.config.Config;
import dev.ffdispatch.config.ConfigException;
import dev.ffdispatch.config.LoadedConfig;
import dev.ffdispatch.daemon.StatusClient;
import dev.ffdispatch.doctor.Check;
import dev.ffdispatch.doctor.Doctor;
import dev.ffdispatch.doctor.JellyfinChecks;
import dev.ffdispatch.doctor.SocketCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ffdispatch doctor}: finds what would break or slow transcodes, and says how to fix it. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Check this machine, the running Jellyfin and every worker for what would break or slow transcodes.",
        "Checks the config; the daemon and its socket; which ffmpeg the running Jellyfin uses and its TMPDIR;"
            + " every worker (host key, login, shell start-up time, ffmpeg/ffprobe and their major version, shared"
            + " directories); the transcode directory's filesystem.",
        "One line per check: [ok], [warn] or [FAIL] with a fix. Exits 0 when nothing FAILs, 1 otherwise."})
final class DoctorCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Where running processes are listed (Linux). */
    private static final Path PROC = Path.of("/proc");

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print {ok, checks: [{check, status, detail, fix}]}.")
    boolean json;

    @Option(names = "--transcodes", paramLabel = "<dir>",
        description = "Jellyfin's transcode directory (default: the running Jellyfin's, else /var/cache/jellyfin/transcodes,"
            + " /cache/transcodes or /config/cache/transcodes, the first present).")
    Path transcodes;

    @Option(names = "--path", paramLabel = "<dir>",
        description = "Another directory the workers must share and write (media roots, $TMPDIR/jellyfin). Repeatable.")
    List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CliContext ctx = CliContext.of(spec);
        List<Check> checks = new ArrayList<>();
        LoadedConfig loaded;
        try {
            loaded = ctx.loadedConfig();
        } catch (ConfigException e) {
            checks.add(Check.fail("config", e.getMessage(), "correct the named key (see docs/configuration.md)"));
            return print(ctx, checks);
        }
        checks.add(Check.ok("config", loaded.fromFile() ? loaded.source() + " is valid"
            : "no file at " + loaded.source() + "; defaults and FFDISPATCH_* variables apply"));
        Config config = loaded.config();
        StatusClient.Answer answer = StatusClient.ask(config.daemon().socket(), StatusClient.TIMEOUT);
        checks.add(answer.up() ? Check.ok("daemon", "answers on " + config.daemon().socket() + " (pid "
            + answer.reply().daemon().pid() + ")") : Check.fail("daemon", answer.problem(), answer.fix()));
        if (answer.up()) {
            checks.add(SocketCheck.check(config.daemon().socket(), config.daemon().socketGroup()));
        }
        JellyfinChecks jellyfin = new JellyfinChecks(PROC, Path.of("/"), JellyfinChecks.installedShim());
        checks.addAll(jellyfin.check());
        Doctor doctor = new Doctor(config, ctx.env());
        List<Path> transcodeDirs = doctor.transcodeDirs(transcodes, jellyfin.transcodeDirs());
        List<Path> shared = doctor.sharedDirs(transcodeDirs, paths, jellyfin.tempDirs());
        checks.addAll(doctor.local(transcodeDirs, shared, jellyfin.transcodeDirs()));
        checks.addAll(doctor.hosts(shared));
        return print(ctx, checks);
    }

    private int print(CliContext ctx, List<Check> checks) throws Exception {
        PrintWriter out = ctx.out();
        if (json) {
            out.println(JSON.writeValueAsString(CheckPrinter.json(JSON.createObjectNode(), checks)));
        } else {
            CheckPrinter.text(out, checks);
        }
        return CheckPrinter.ok(checks) ? AdminExitCodes.OK : AdminExitCodes.ERROR;
    }
}
