package dev.ffdispatch.shim;

import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The connected phase of a shim run: sends the JOB frame, pumps stdin, and writes the daemon's
 * STDOUT/STDERR frames to this process's fd 1 and fd 2 as they come, until EXIT.
 */
final class Relay {
    /** What a process killed by SIGPIPE returns, as ffmpeg would when its reader goes away. */
    static final int STDOUT_CLOSED = JobExitCodes.SIGNAL_BASE + 13;

    private final InputStream fromDaemon;
    private final OutputStream toDaemon;
    private final OutputStream stdout;
    private final OutputStream stderr;

    Relay(InputStream fromDaemon, OutputStream toDaemon, OutputStream stdout, OutputStream stderr) {
        // Buffering the socket side is safe (frames are complete units); stdout/stderr stay raw.
        this.fromDaemon = new DataInputStream(new BufferedInputStream(fromDaemon, FrameCodec.CHUNK + 16));
        this.toDaemon = toDaemon;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs the job to its end and returns the exit code the shim must exit with. */
    int run(Frame job, InputStream stdin) {
        try {
            FrameCodec.write(toDaemon, job);
        } catch (IOException e) {
            return lost(e.toString());
        }
        StdinPump.start(stdin, toDaemon);
        while (true) {
            Frame frame;
            try {
                frame = FrameCodec.read(fromDaemon);
            } catch (IOException e) {
                return lost(e.toString());
            }
            if (frame == null) {
                return lost("the daemon closed the connection without an exit code");
            }
            // if/else rather than a switch: an enum switch loads one more synthetic class at start-up.
            FrameType type = frame.type();
            if (type == FrameType.STDOUT) {
                if (!copy(frame.payload(), stdout)) {
                    return STDOUT_CLOSED;
                }
            } else if (type == FrameType.STDERR) {
                copy(frame.payload(), stderr);
            } else if (type == FrameType.EXIT) {
                return exitCode(frame);
            } else {
                return fail("ffdispatch: the daemon sent an unexpected " + type
                    + " frame during a job; install the same ffdispatch version for the shim and the daemon");
            }
        }
    }

    private int exitCode(Frame frame) {
        try {
            return frame.exitCode();
        } catch (IOException e) {
            return fail("ffdispatch: bad EXIT frame from the daemon (" + e.getMessage()
                + "); install the same ffdispatch version for the shim and the daemon");
        }
    }

    private int lost(String reason) {
        return fail("ffdispatch: lost the daemon connection mid-job (" + reason
            + "); the job's result is unknown, see the daemon log (journalctl -u ffdispatch)");
    }

    private int fail(String line) {
        copy((line + "\n").getBytes(StandardCharsets.UTF_8), stderr);
        return JobExitCodes.PROTOCOL;
    }

    /** Writes the whole payload in one call; false when the reader is gone. */
    private static boolean copy(byte[] payload, OutputStream out) {
        try {
            out.write(payload);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
