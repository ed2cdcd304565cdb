package dev.ffdispatch.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Prints the bash completion script picocli generates from the command model. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the bash completion script.",
                "Use: source <(ffdispatch completion). The Debian package installs it for every shell."})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CliContext.of(spec).out().print(AutoComplete.bash("ffdispatch", spec.root().commandLine()));
        return AdminExitCodes.OK;
    }
}
