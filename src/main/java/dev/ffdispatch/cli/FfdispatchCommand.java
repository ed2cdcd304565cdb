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
        description = "Load-aware remote transcode dispatcher for Jellyfin (an rffmpeg replacement).",
        subcommands = {
                HostCommand.class,
                StatusCommand.class,
                JobsCommand.class,
                DoctorCommand.class,
                WorkerSetupCommand.class,
                ImportRffmpegCommand.class,
                DaemonCommand.class,
                DemoCommand.class,
                CompletionCommand.class,
                HelpCommand.class,
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
