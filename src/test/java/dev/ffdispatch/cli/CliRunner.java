package dev.ffdispatch.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the real command line against an {@code FFDISPATCH_HOME} directory, capturing everything. */
public final class CliRunner {
    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> env = new HashMap<>();

    public CliRunner(Path home) {
        env.put("FFDISPATCH_HOME", home.toString());
    }

    /** With the whole environment the command line sees (its {@code FFDISPATCH_HOME} included). */
    public CliRunner(Map<String, String> environment) {
        env.putAll(environment);
    }

    public CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), env);
        return new Result(code, out.toString(), err.toString());
    }
}
