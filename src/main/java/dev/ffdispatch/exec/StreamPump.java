package dev.ffdispatch.exec;

import dev.ffdispatch.posix.NamedThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a process's output stream to a sink on a thread of its own, each read written at once
 * (Jellyfin parses progress from stderr as it comes). When the sink fails the pump keeps
 * draining, so the process never blocks on a full pipe while the daemon ends it.
 *
 * <p>Every job needs two pumps, and a short job (a probe, a library scan's ffprobe) lives for
 * milliseconds: the threads and their buffers are reused (an idle thread ends after a minute)
 * instead of being created for every job.
 */
final class StreamPump {
    static final int BUFFER_SIZE = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(StreamPump.class);
    private static final String IDLE = "ffd-pump-idle";
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(NamedThreads.factory(IDLE));
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[BUFFER_SIZE]);

    private StreamPump() {
    }

    /**
     * Starts the pump, on a thread named {@code name} while it copies; the future completes at end
     * of stream (never exceptionally), on the pump's thread.
     */
    static CompletableFuture<Void> start(InputStream in, OutputStream out, String name) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        THREADS.execute(() -> {
            Thread self = Thread.currentThread();
            self.setName(name);
            try {
                copy(in, out, name);
            } finally {
                try {
                    done.complete(null);
                } finally {
                    self.setName(IDLE);
                }
            }
        });
        return done;
    }

    private static void copy(InputStream in, OutputStream out, String name) {
        byte[] buffer = BUFFER.get();
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
