package dev.ffdispatch.posix;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes every write through at once (flush per write), so a single key for ffmpeg's stdin or a
 * small chunk of its output is never held back in a buffer. Whether {@link #close} closes the
 * target is the caller's choice: a process's stdin is closed (that is its end of file), while
 * the caller's own streams that MINA writes a channel's output to are only flushed, because MINA
 * closes those when the channel closes and they belong to the caller.
 */
public final class FlushingOutputStream extends OutputStream {
    private final OutputStream target;
    private final boolean closeTarget;

    /** @param closeTarget whether close() closes the target (for a process's stdin: EOF) */
    public FlushingOutputStream(OutputStream target, boolean closeTarget) {
        this.target = target;
        this.closeTarget = closeTarget;
    }

    @Override
    public void write(int b) throws IOException {
        target.write(b);
        target.flush();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
        target.flush();
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    @Override
    public void close() throws IOException {
        if (closeTarget) {
            target.close();
        } else {
            target.flush();
        }
    }
}
