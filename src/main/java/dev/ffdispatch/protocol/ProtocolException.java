package dev.ffdispatch.protocol;

import java.io.IOException;

/** The peer sent something that is not valid ffdispatch protocol. */
public class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
