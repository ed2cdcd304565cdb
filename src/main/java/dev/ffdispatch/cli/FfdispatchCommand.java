package dev.ffdispatch.cli;

import dev.ffdispatch.config.ConfigLoader;
import dev.ffdispatch.config.LoadedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The root command. The list of subcommands below is the one place where commands are registered.
 */
@Command(name = "ffdispatch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Load-aware remote transcode dispatcher for Jellyfin (an rffmpeg replacement).",
                "Jellyfin runs ffdispatch's ffmpeg shim; the daemon runs each job on the least-loaded worker over SSH,"
                        + " or on this machine when no worker can take it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:ok",
                "1:error: a check failed, the database is busy or unreadable, the daemon is unreachable",
                "2:invalid input: unknown option or host, bad value, bad config file",
                "3:unexpected state: the daemon is not running (status), a host has running jobs (host remove)",
                "4:internal error: run again with --verbose and report the stack trace"},
        footerHeading = "%nDocumentation:%n",
        footer = {"README.md and docs/*.md: in /usr/share/doc/ffdispatch (Debian package) or in the source.",
                "Every command has --help; 'man ffdispatch' where the man page is installed."},
        subcommands = {
                HostCommand.class,
                RouteCommand.class,
                StatusCommand.class,
                JobsCommand.class,
                DoctorCommand.class,
                WorkerSetupCommand.class,
                ImportRffmpegCommand.class,
                DaemonCommand.class,
                DemoCommand.class,
                LogCommand.class,
                CompletionCommand.class,
                HelpCommand.class,
                RffmpegVerbs.Add.class,
                RffmpegVerbs.Remove.class,
                RffmpegVerbs.Clear.class,
        })
public final class FfdispatchCommand implements Callable<Integer> {
    private final Map<String, String> env;
    private LoadedConfig loaded;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "<file>", scope = ScopeType.INHERIT,
            description = "Configuration file (default: $FFDISPATCH_CONFIG, $FFDISPATCH_HOME/ffdispatch.yml, "
                    + ConfigLoader.SYSTEM_FILE + ").")
    Path configFile;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    /** Uses the process environment. */
    public FfdispatchCommand() {
        this(System.getenv());
    }

    /** Uses {@code env} instead of the process environment (tests). */
    public FfdispatchCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    Map<String, String> env() {
        return env;
    }

    boolean verbose() {
        return verbose;
    }

    synchronized LoadedConfig loadedConfig() {
        if (loaded == null) {
            loaded = ConfigLoader.load(configFile, env);
        }
        return loaded;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().println("ffdispatch: give a command, e.g. 'ffdispatch host list'");
        return AdminExitCodes.INVALID_INPUT;
    }
}
