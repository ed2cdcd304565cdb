package dev.ffdispatch.exec;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Flushes after every write: keys such as {@code q} or {@code p} must reach ffmpeg at once. */
final class FlushingOutputStream extends FilterOutputStream {

    FlushingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        out.flush();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        out.flush();
    }
}
