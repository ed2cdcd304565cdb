package dev.ffdispatch.ssh;

import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** One open exec channel: the remote program's stdin, and its end. */
public interface RemoteChannel extends AutoCloseable {

    /** Bytes written are sent at once (flush per write); close() sends EOF. */
    OutputStream stdin();

    /** Completes when the channel has closed and all stdout/stderr bytes were delivered. */
    CompletableFuture<RemoteExit> exit();

    /** Closes the channel (does NOT stop the remote program: ffmpeg ignores SIGPIPE). */
    @Override
    void close();
}
