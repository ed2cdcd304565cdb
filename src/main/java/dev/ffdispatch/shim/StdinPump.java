package dev.ffdispatch.shim;

import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies the shim's stdin to the daemon: every read becomes one STDIN frame at once, so a single
 * key Jellyfin writes ({@code q}, {@code p}, {@code u}, {@code ?}) reaches ffmpeg without
 * waiting for more; end of file (or a read error) becomes STDIN_EOF.
 */
final class StdinPump implements Runnable {
    private final InputStream stdin;
    private final OutputStream daemon;

    StdinPump(InputStream stdin, OutputStream daemon) {
        this.stdin = stdin;
        this.daemon = daemon;
    }

    /** Starts the pump on a daemon thread, which never keeps the shim alive after EXIT. */
    static void start(InputStream stdin, OutputStream daemon) {
        Thread thread = new Thread(new StdinPump(stdin, daemon), "ffdispatch-stdin");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads into the buffer after room for the header, so each frame is one write and nothing is copied. */
    @Override
    public void run() {
        byte[] buffer = new byte[FrameCodec.HEADER + FrameCodec.CHUNK];
        try {
            while (true) {
                int n = read(buffer);
                if (n < 0) {
                    break;
                }
                FrameCodec.putHeader(buffer, 0, FrameType.STDIN, n);
                daemon.write(buffer, 0, FrameCodec.HEADER + n);
            }
            FrameCodec.putHeader(buffer, 0, FrameType.STDIN_EOF, 0);
            daemon.write(buffer, 0, FrameCodec.HEADER);
        } catch (IOException e) {
            // The daemon connection is gone; the main thread sees that too and reports it.
        }
    }

    /** One read call; a broken stdin counts as end of file, as it would for ffmpeg. */
    private int read(byte[] buffer) {
        try {
            return stdin.read(buffer, FrameCodec.HEADER, FrameCodec.CHUNK);
        } catch (IOException e) {
            return -1;
        }
    }
}
