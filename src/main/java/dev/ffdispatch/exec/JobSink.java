package dev.ffdispatch.exec;

import java.io.OutputStream;

/**
 * Where a job's output goes. The streams are written from executor threads as bytes arrive;
 * writes must not be buffered to the end. Executors never close them; the caller does after exit.
 */
public record JobSink(OutputStream stdout, OutputStream stderr) {
}
