package dev.ffdispatch.ssh;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes every write through at once (flush per write) and never closes the target: MINA may
 * close a channel's streams when the channel closes, but the caller owns them.
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
