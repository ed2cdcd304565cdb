package dev.ffdispatch.daemon;

import dev.ffdispatch.exec.Executor;
import dev.ffdispatch.poll.PolledHost;
import dev.ffdispatch.posix.ProgramPaths;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.HostRecord;

/** One worker as the daemon uses it: its stored record, where to log in, and its executor. */
record WorkerHost(HostRecord record, SshTarget target, Executor executor) {

    PolledHost polled() {
        return new PolledHost(record.id(), target);
    }

    /**
     * The program to run for {@code tool}. ffprobe defaults to the file beside the configured
     * ffmpeg, the same rule Jellyfin uses, so setting only {@code --ffmpeg} is enough.
     */
    String program(Tool tool) {
        return tool == Tool.FFMPEG ? ProgramPaths.ffmpeg(record.ffmpeg()) : ProgramPaths.ffprobe(record.ffprobe(), record.ffmpeg());
    }
}
