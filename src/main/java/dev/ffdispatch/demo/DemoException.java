package dev.ffdispatch.demo;

/**
 * The demo cannot run on this machine (no usable ffmpeg, nothing to fetch one with). The message
 * is one line that names the problem and the fix; it is not a bug in ffdispatch.
 */
public final class DemoException extends Exception {
    private static final long serialVersionUID = 1L;

    public DemoException(String message) {
        super(message);
    }
}
