package dev.ffdispatch.cli;

import dev.ffdispatch.config.ConfigException;
import dev.ffdispatch.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.Map;

/** Entry point of {@code java -jar ffdispatch.jar}: the admin commands and the daemon. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Admin commands print only warnings; the daemon re-applies log.level and log.file.
        LogSetup.apply("warn", null);
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv());
        System.exit(code);
    }

    /**
     * Runs one command line without exiting the JVM.
     *
     * @return the exit code ({@link AdminExitCodes})
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cl = commandLine(new FfdispatchCommand(env));
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The configured picocli command line (error handlers installed). */
    static CommandLine commandLine(FfdispatchCommand root) {
        CommandLine cl = new CommandLine(root);
        cl.setExecutionExceptionHandler(Main::onError);
        cl.setParameterExceptionHandler(Main::onBadArguments);
        // A routing rule's pattern is usually ffmpeg arguments ('-c:v h264_nvenc'): not options of ours.
        cl.getSubcommands().get("route").getSubcommands().get("add").setUnmatchedOptionsArePositionalParams(true);
        return cl;
    }

    private static int onError(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        int code;
        if (e instanceof CliException c) {
            code = c.code();
            err.println("ffdispatch: " + c.getMessage());
        } else if (e instanceof StoreException s) {
            code = AdminExitCodes.of(s.kind());
            err.println("ffdispatch: " + s.getMessage());
        } else if (e instanceof ConfigException c) {
            code = AdminExitCodes.INVALID_INPUT;
            err.println("ffdispatch: " + c.getMessage());
        } else {
            code = AdminExitCodes.INTERNAL;
            err.println("ffdispatch: internal error: " + e + (isVerbose(cl) ? ""
                    : "; run again with --verbose for the stack trace, and please report it"));
        }
        if (isVerbose(cl)) {
            e.printStackTrace(err);
        }
        return code;
    }

    private static int onBadArguments(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("ffdispatch: " + e.getMessage());
        if (!UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("See '" + cl.getCommandSpec().qualifiedName() + " --help'.");
        }
        if (isVerbose(cl)) {
            e.printStackTrace(err);
        }
        return AdminExitCodes.INVALID_INPUT;
    }

    private static boolean isVerbose(CommandLine cl) {
        Object root = cl.getCommandSpec().root().userObject();
        return root instanceof FfdispatchCommand f && f.verbose();
    }
}
