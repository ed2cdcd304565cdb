package dev.ffdispatch.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a process's output stream to a sink on its own thread, each read written at once
 * (Jellyfin parses progress from stderr as it comes). When the sink fails the pump keeps
 * draining, so the process never blocks on a full pipe while the daemon ends it.
 */
final class StreamPump {
    static final int BUFFER_SIZE = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(StreamPump.class);

    private StreamPump() {
    }

    /** Starts the pump; the future completes at end of stream (never exceptionally). */
    static CompletableFuture<Void> start(InputStream in, OutputStream out, String name) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                copy(in, out, name);
            } finally {
                done.complete(null);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    private static void copy(InputStream in, OutputStream out, String name) {
        byte[] buffer = new byte[BUFFER_SIZE];
        boolean sinkOk = true;
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sinkOk = sinkOk && writeTo(out, buffer, n, name);
            }
        } catch (IOException e) {
            log.debug("pump(name={}) read ended: {}", name, e.toString());
        }
    }

    private static boolean writeTo(OutputStream out, byte[] buffer, int n, String name) {
        try {
            out.write(buffer, 0, n);
            out.flush();
            return true;
        } catch (IOException e) {
            log.debug("pump(name={}) sink failed, draining from now on: {}", name, e.toString());
            return false;
        }
    }
}
