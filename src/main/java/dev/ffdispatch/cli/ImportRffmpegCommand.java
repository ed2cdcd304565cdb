package dev.ffdispatch.cli;

import dev.ffdispatch.migrate.RffmpegImport;
import dev.ffdispatch.migrate.RffmpegSetup;
import dev.ffdispatch.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ffdispatch import-rffmpeg}: hosts, weights, names, SSH user, port and ffmpeg paths from
 * an rffmpeg install; the SSH key and local fallback as YAML to add. Safe to run again.
 */
@Command(name = "import-rffmpeg", mixinStandardHelpOptions = true,
    description = {"Import the hosts and settings of an rffmpeg install.",
        "Hosts (names, addresses, weights), the SSH user and port, and the remote ffmpeg/ffprobe paths."
            + " Prints what it could not map and the YAML to add for the SSH key.",
        "Running it again changes nothing (existing hosts are compared and updated only where they differ)."})
final class ImportRffmpegCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    // Not --config: that option is ffdispatch's own config file, inherited by every command.
    @Option(names = "--rffmpeg-config", paramLabel = "<rffmpeg.yml>",
        description = "rffmpeg's config (default: $RFFMPEG_CONFIG, else " + "/etc/rffmpeg/rffmpeg.yml; missing = rffmpeg's defaults).")
    Path rffmpegConfig;

    @Option(names = "--db", paramLabel = "<rffmpeg.db|url>",
        description = {"rffmpeg's database: its SQLite file, or postgresql://user@host:port/db (password from",
            "RFFMPEG_POSTGRES_PASS or PGPASSWORD). Default: what rffmpeg uses, PostgreSQL from the RFFMPEG_POSTGRES_*",
            "variables when RFFMPEG_POSTGRES_USER is set, else <directories.state>/rffmpeg.db (/var/lib/rffmpeg/rffmpeg.db)."})
    String db;

    @Option(names = "--dry-run", description = "Show what would change; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        CliContext ctx = CliContext.of(spec);
        String envConfig = ctx.env().get("RFFMPEG_CONFIG");
        boolean given = rffmpegConfig != null || envConfig != null;
        Path configFile = rffmpegConfig != null ? rffmpegConfig : envConfig != null ? Path.of(envConfig) : RffmpegSetup.DEFAULT_CONFIG;
        RffmpegSetup setup;
        try {
            setup = RffmpegSetup.read(configFile, given, db, ctx.env());
        } catch (IllegalArgumentException e) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, e.getMessage());
        }
        RffmpegImport.Report report;
        try (Store store = ctx.openStore()) {
            report = RffmpegImport.run(setup, store, ctx.config().ssh().identities(), dryRun);
        }
        print(ctx.out(), setup, report);
        if (report.nothingImported()) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "no host was imported: every rffmpeg host was skipped (see"
                + " the reasons above); add the workers with: ffdispatch host add <address>");
        }
        return AdminExitCodes.OK;
    }

    private void print(PrintWriter out, RffmpegSetup setup, RffmpegImport.Report report) {
        out.println("rffmpeg config:   " + setup.configFile() + (setup.configFound() ? "" : " (absent: rffmpeg's defaults)"));
        out.println("rffmpeg database: " + setup.database() + " (" + setup.hosts().size() + " host(s))");
        out.println(dryRun ? "would import (dry run, nothing written):" : "imported:");
        report.hosts().forEach(line -> out.println("  " + line));
        if (report.hosts().isEmpty()) {
            out.println("  no hosts in the rffmpeg database");
        }
        if (!report.notImported().isEmpty()) {
            out.println("not imported:");
            report.notImported().forEach(line -> out.println("  - " + line));
        }
        if (!report.yaml().isEmpty()) {
            out.println("add to " + CliContext.of(spec).loadedConfig().source() + ":");
            report.yaml().forEach(line -> out.println("  " + line));
        }
        if (!report.toTrust().isEmpty()) {
            out.println("next: pin each host's SSH key (compare the fingerprint first), then check everything:");
            report.toTrust().forEach(name -> out.println("  ffdispatch host trust " + name));
            out.println("  ffdispatch doctor");
        }
    }
}
