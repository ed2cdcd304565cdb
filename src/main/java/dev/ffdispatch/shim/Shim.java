package dev.ffdispatch.shim;

import dev.ffdispatch.protocol.ChannelStreams;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.posix.LocalPrograms;
import dev.ffdispatch.protocol.JobRequest;
import dev.ffdispatch.protocol.Tool;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What Jellyfin runs as ffmpeg or ffprobe. The launcher starts it as
 * {@code Shim "$0" "$@"}: {@code args[0]} is the name it was called by, which chooses the tool.
 * It hands the job to the daemon over its Unix socket and relays stdio and the exit code; when
 * the daemon is unreachable it runs the local program itself. Nothing of ours ever goes to
 * stdout. Start-up runs on every Jellyfin call, so this path avoids lambdas, String.format,
 * regular expressions and string concatenation (each pulls in extra JDK classes).
 */
public final class Shim {
    /** Where the Debian package's daemon listens when neither variable says otherwise. */
    static final String DEFAULT_SOCKET = "/run/ffdispatch/ffdispatch.sock";
    /** Wrong invocation of the shim itself (sysexits EX_USAGE); only a broken launcher causes it. */
    static final int USAGE = 64;

    private Shim() {
    }

    public static void main(String[] args) {
        Runtime.getRuntime().halt(run(args));
    }

    static int run(String[] args) {
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        if (args.length == 0) {
            return say(stderr, "ffdispatch: the shim expects the name it was called by as its first argument"
                + " (java ... dev.ffdispatch.shim.Shim \"$0\" \"$@\"); start it through bin/ffmpeg or bin/ffprobe", USAGE);
        }
        Map<String, String> env = System.getenv();
        Tool tool = Tool.fromArgv0(args[0]);
        List<byte[]> argv = OwnProcess.argumentBytes(args);
        List<byte[]> jobArgs = argv.subList(1, argv.size());
        String socket = socketPath(env);
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException e) {
            return runLocally(tool, env, args[0], jobArgs, socket, reason(e), stderr);
        }
        JobRequest request = new JobRequest(tool, jobArgs, OwnProcess.workingDirectory(), env);
        Relay relay = new Relay(ChannelStreams.in(channel), ChannelStreams.out(channel),
            new FileOutputStream(FileDescriptor.out), stderr);
        return relay.run(request.toFrame(), new FileInputStream(FileDescriptor.in));
    }

    /** {@code FFDISPATCH_SOCKET}, else {@code $FFDISPATCH_HOME/ffdispatch.sock}, else the default. */
    static String socketPath(Map<String, String> env) {
        String socket = env.get("FFDISPATCH_SOCKET");
        if (socket != null && !socket.isEmpty()) {
            return socket;
        }
        String home = env.get("FFDISPATCH_HOME");
        if (home != null && !home.isEmpty()) {
            return home.concat("/ffdispatch.sock");
        }
        return DEFAULT_SOCKET;
    }

    private static int runLocally(Tool tool, Map<String, String> env, String argv0, List<byte[]> args,
                                  String socket, String reason, OutputStream stderr) {
        String unreachable = "ffdispatch: daemon not reachable at " + socket + " (" + reason + ")";
        if (env.containsKey(LocalTool.LOCAL_RUN_ENV)) {
            return say(stderr, unreachable + " and this shim was started by its own local run of "
                + env.get(LocalTool.LOCAL_RUN_ENV) + "; set " + LocalPrograms.envName(tool.command())
                + " to the real " + tool.command() + ". Fix: systemctl start ffdispatch", JobExitCodes.NOT_FOUND);
        }
        String local = LocalPrograms.find(tool.command(), env, argv0, LocalPrograms.JELLYFIN_FFMPEG_DIR);
        if (local == null) {
            return say(stderr, unreachable + " and no local " + tool.command() + " was found (looked in "
                + LocalPrograms.JELLYFIN_FFMPEG_DIR + " and on PATH, skipping the shim itself); set "
                + LocalPrograms.envName(tool.command()) + " to the real " + tool.command() + ". Fix: systemctl start ffdispatch",
                JobExitCodes.NOT_FOUND);
        }
        say(stderr, unreachable + "; running " + local + " locally. Fix: systemctl start ffdispatch", 0);
        try {
            return LocalTool.run(local, args);
        } catch (IOException | InterruptedException e) {
            return say(stderr, "ffdispatch: could not run " + local + " locally (" + reason(e) + "); set "
                + LocalPrograms.envName(tool.command()) + " to a working " + tool.command(), JobExitCodes.NOT_FOUND);
        }
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isEmpty() ? e.getClass().getSimpleName() : message;
    }

    /** Writes one line to stderr (never stdout) and returns {@code code}. */
    private static int say(OutputStream stderr, String line, int code) {
        try {
            stderr.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // stderr is gone; the exit code still tells the caller
        }
        return code;
    }
}
