package dev.ffdispatch.protocol;

/**
 * The kinds of frame on the shim/daemon socket. A connection starts with exactly one
 * {@link #JOB} or {@link #STATUS} frame from the client; the codes are part of the wire format.
 */
public enum FrameType {
    /** client to daemon, first frame: a {@link JobRequest}. */
    JOB(0x01),
    /** client to daemon: bytes for the job's stdin. */
    STDIN(0x02),
    /** client to daemon: the job's stdin reached end of file. */
    STDIN_EOF(0x03),
    /** client to daemon, first frame: asks for the daemon's live status (UTF-8 JSON reply). */
    STATUS(0x04),
    /** daemon to client: bytes the job wrote to stdout. */
    STDOUT(0x11),
    /** daemon to client: bytes the job (or the daemon, about the job) wrote to stderr. */
    STDERR(0x12),
    /** daemon to client, last frame: the job's exit code as a 4-byte big-endian int. */
    EXIT(0x13),
    /** daemon to client: the reply to {@link #STATUS}, UTF-8 JSON, always in one frame. */
    STATUS_REPLY(0x14);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    final int code;

    FrameType(int code) {
        this.code = code;
    }

    static FrameType of(int code) throws ProtocolException {
        FrameType type = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (type == null) {
            throw new ProtocolException("unknown frame type 0x" + Integer.toHexString(code));
        }
        return type;
    }
}
