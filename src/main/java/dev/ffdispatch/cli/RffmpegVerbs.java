package dev.ffdispatch.cli;

import dev.ffdispatch.posix.PosixShell;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * rffmpeg's top-level verbs, for hands that type them out of habit: each names the ffdispatch
 * command to run instead (with the given arguments carried over) and exits 2, doing nothing.
 * Hidden from the help; {@code log} is a real command ({@link LogCommand}).
 */
final class RffmpegVerbs {
    /** Words that need no quoting in a shell command line. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9@%+=:,./_-]+");

    private RffmpegVerbs() {
    }

    /** Prints the command to run instead and returns the exit code for a verb that is not ffdispatch's. */
    static int answer(CommandSpec spec, String why, List<String> commands) {
        CliContext ctx = CliContext.of(spec);
        ctx.err().println("ffdispatch: " + why);
        commands.forEach(c -> ctx.err().println("  " + c));
        return AdminExitCodes.INVALID_INPUT;
    }

    /** One word of a command line, quoted only when the shell needs it. */
    static String word(String arg) {
        return PLAIN.matcher(arg).matches() ? arg : PosixShell.quote(arg);
    }

    /** What every verb takes: rffmpeg's HOST argument, and anything else without complaint. */
    abstract static class Verb implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "<host>", description = "The worker, as rffmpeg names it.")
        String host;

        @Unmatched
        List<String> rest = new ArrayList<>();

        /** The host given, ready for a command line, or {@code placeholder}. */
        String hostWord(String placeholder) {
            return host == null ? placeholder : word(host);
        }
    }

    /** {@code rffmpeg add [-w N] [-n NAME] HOST}. */
    @Command(name = "add", hidden = true, description = "rffmpeg's 'add': prints the ffdispatch command to use.")
    static final class Add extends Verb {
        @Option(names = {"-w", "--weight"}, paramLabel = "<n>", description = "rffmpeg's weight.")
        String weight;

        @Option(names = {"-n", "--name"}, paramLabel = "<name>", description = "rffmpeg's servername.")
        String name;

        @Override
        public Integer call() {
            StringBuilder add = new StringBuilder("ffdispatch host add ").append(hostWord("<address>"));
            if (name != null) {
                add.append(" --name ").append(word(name));
            }
            if (weight != null) {
                add.append(" --weight ").append(word(weight));
            }
            String trusted = name != null ? word(name) : hostWord("<name>");
            return answer(spec, "'add' is rffmpeg's command; ffdispatch adds a worker and pins its SSH host key with:",
                List.of(add.toString(), "ffdispatch host trust " + trusted));
        }
    }

    /** {@code rffmpeg remove HOST}. */
    @Command(name = "remove", hidden = true, description = "rffmpeg's 'remove': prints the ffdispatch command to use.")
    static final class Remove extends Verb {
        @Override
        public Integer call() {
            return answer(spec, "'remove' is rffmpeg's command; ffdispatch removes a worker with:",
                List.of("ffdispatch host remove " + hostWord("<name>")));
        }
    }

    /** {@code rffmpeg clear [HOST]}: there is no state to clear by hand in ffdispatch. */
    @Command(name = "clear", hidden = true, description = "rffmpeg's 'clear': says why there is nothing to clear.")
    static final class Clear extends Verb {
        @Override
        public Integer call() {
            return answer(spec, "'clear' is rffmpeg's command, and ffdispatch has nothing to clear: a down worker is probed"
                + " again by itself and comes back when it answers, and the daemon ends and records the jobs of a killed"
                + " shim. To see why a worker takes no jobs, and to let a drained one take jobs again:",
                List.of("ffdispatch status", "ffdispatch host enable " + hostWord("<name>")));
        }
    }
}
