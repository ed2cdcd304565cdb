package dev.ffdispatch.cli;

import dev.ffdispatch.config.Config;
import dev.ffdispatch.config.LoadedConfig;
import dev.ffdispatch.store.Store;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Map;

/**
 * What every command needs: its output streams, the environment, the loaded config and the store.
 * Get it with {@code CliContext.of(spec)} from a command's {@code @Spec CommandSpec spec}.
 */
public final class CliContext {
    private final CommandSpec spec;
    private final FfdispatchCommand root;

    private CliContext(CommandSpec spec, FfdispatchCommand root) {
        this.spec = spec;
        this.root = root;
    }

    /** The context of the command {@code spec} describes. */
    public static CliContext of(CommandSpec spec) {
        return new CliContext(spec, (FfdispatchCommand) spec.root().userObject());
    }

    /** Where results go (never diagnostics). */
    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where diagnostics go. */
    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The process environment (tests pass their own). */
    public Map<String, String> env() {
        return root.env();
    }

    public boolean verbose() {
        return root.verbose();
    }

    /** The configuration, loaded once per run from {@code --config}/environment/defaults. */
    public LoadedConfig loadedConfig() {
        return root.loadedConfig();
    }

    public Config config() {
        return loadedConfig().config();
    }

    /** Opens the configured state (SQLite file or PostgreSQL); the caller closes it. */
    public Store openStore() {
        return Store.open(config().state(), env(), Store.CLI_CONNECTIONS);
    }
}
