package dev.ffdispatch.daemon;

import dev.ffdispatch.exec.Executor;
import dev.ffdispatch.poll.PolledHost;
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
        String ffmpeg = record.ffmpeg() == null || record.ffmpeg().isBlank() ? "ffmpeg" : record.ffmpeg();
        if (tool == Tool.FFMPEG) {
            return ffmpeg;
        }
        if (record.ffprobe() != null && !record.ffprobe().isBlank()) {
            return record.ffprobe();
        }
        int slash = ffmpeg.lastIndexOf('/');
        return slash < 0 ? "ffprobe" : ffmpeg.substring(0, slash + 1) + "ffprobe";
    }
}
