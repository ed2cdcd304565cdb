package dev.ffdispatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ffdispatch.demo.Demo;
import dev.ffdispatch.demo.DemoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ffdispatch demo}: the whole path on an embedded default, with nothing to set up. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run a self-contained demo of the whole path, with nothing to set up.",
        "A temporary daemon, two in-process SSH workers on loopback (weights 4 and 2), a generated clip and a"
            + " simultaneous burst of real HLS transcodes through the shim.",
        "Exits 0 when every job succeeded with valid output and placement followed the ranking formula."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the result as one JSON object with a 'jobs' array.")
    boolean json;

    @Option(names = "--jobs", paramLabel = "<n>", description = "Size of the burst (default: ${DEFAULT-VALUE}).")
    int jobs = 6;

    @Option(names = "--keep", description = "Keep the temporary directory (outputs, logs) and print its path.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = CliContext.of(spec);
        if (jobs < 1 || jobs > 50) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "--jobs " + jobs + " is out of range; use 1 to 50");
        }
        LogSetup.apply(ctx.verbose() ? "info" : "warn", null);
        if (!ctx.verbose()) {
            // The static ffmpeg the demo fetches where none is installed comes without ffprobe, so
            // its ffprobe profiles cannot be learned: expected here, and the demo runs no ffprobe.
            LogSetup.level("dev.ffdispatch.daemon.ProfileKeeper", "error");
        }
        Path home = Files.createTempDirectory("ffdispatch-demo");
        Demo.Report report;
        try {
            report = new Demo(home, jobs, ctx.env()).run();
        } catch (DemoException e) {
            throw new CliException(AdminExitCodes.ERROR, "demo: " + e.getMessage());
        } finally {
            if (keep) {
                ctx.err().println("demo: files kept in " + home);
            } else {
                deleteTree(home);
            }
        }
        if (json) {
            ctx.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(report)));
            ctx.out().flush();
        } else {
            Demo.printTable(report, ctx.out());
        }
        return report.ok() ? AdminExitCodes.OK : AdminExitCodes.ERROR;
    }

    private static Map<String, Object> toJson(Demo.Report report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ok", report.ok());
        root.put("ffmpeg", report.ffmpeg());
        List<Map<String, Object>> jobs = report.jobs().stream().map(j -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job", j.job());
            m.put("host", j.host());
            m.put("exit_code", j.exitCode());
            m.put("output_ok", j.outputOk());
            m.put("wall_ms", j.wallMs());
            return m;
        }).toList();
        root.put("jobs", jobs);
        root.put("placement", report.placement());
        root.put("expected_placement", report.expected());
        root.put("version_direct_ms", report.directVersionMs());
        root.put("version_via_shim_ms", report.shimVersionMs());
        root.put("overhead_ms", report.shimVersionMs() - report.directVersionMs());
        return root;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
