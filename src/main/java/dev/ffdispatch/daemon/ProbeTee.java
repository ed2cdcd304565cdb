package dev.ffdispatch.daemon;

import dev.ffdispatch.caps.ProbeAnswer;
import dev.ffdispatch.exec.JobSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * Keeps a copy of what a capability probe run as a job prints, while it goes to Jellyfin as
 * usual, so its answer can join the profile once the run has ended.
 */
final class ProbeTee {
    /** A probe's answer is a few kilobytes; past this it is not kept. */
    static final int MAX_BYTES = 4 << 20;

    private final Copy stdout;
    private final Copy stderr;
    private final JobSink sink;
    private final Consumer<ProbeAnswer> keep;

    ProbeTee(JobSink sink, Consumer<ProbeAnswer> keep) {
        this.stdout = new Copy(sink.stdout());
        this.stderr = new Copy(sink.stderr());
        this.sink = new JobSink(stdout, stderr);
        this.keep = keep;
    }

    /** The sink the job writes to. */
    JobSink sink() {
        return sink;
    }

    /** The run ended with {@code exitCode}: its answer is handed on, unless it was too long to keep. */
    void ended(int exitCode) {
        byte[] out = stdout.bytes();
        byte[] err = stderr.bytes();
        if (out != null && err != null) {
            keep.accept(new ProbeAnswer(out, err, exitCode));
        }
    }

    private static final class Copy extends OutputStream {
        private final OutputStream to;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private boolean overflow;

        Copy(OutputStream to) {
            this.to = to;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (this) {
                if (!overflow && kept.size() + len <= MAX_BYTES) {
                    kept.write(b, off, len);
                } else {
                    overflow = true;
                }
            }
            to.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            to.flush();
        }

        synchronized byte[] bytes() {
            return overflow ? null : kept.toByteArray();
        }
    }
}
