package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ffdispatch.TestTimeouts;
import dev.ffdispatch.protocol.ChannelStreams;
import dev.ffdispatch.posix.JobExitCodes;
import dev.ffdispatch.protocol.Frame;
import dev.ffdispatch.protocol.FrameCodec;
import dev.ffdispatch.protocol.FrameType;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.store.HostChanges;
import dev.ffdispatch.store.JobRecord;
import dev.ffdispatch.store.JobState;
import dev.ffdispatch.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Crafted JOB frames over the real socket: each gets an EXIT frame with the protocol error code,
 * and none of them leaves a worker slot reserved.
 */
class HostileRequestIT extends DaemonItBase {
    @Test
    void craftedRequestsAreRefusedWithAnExitFrameAndLeaveNoSlotReserved() throws Exception {
        harness = new DaemonHarness(home, Map.of());
        harness.addWorker("w", 1, DaemonHarness.FFMPEG);
        try (Store store = Store.open(harness.config.state())) {
            store.updateHost("w", new HostChanges(null, null, null, null, 1, null, null, null, null));
        }
        harness.start();
        harness.awaitUp("w");

        Map<String, byte[]> crafted = new LinkedHashMap<>();
        crafted.put("forwarded env value with NUL", request(List.of("-version"), "/", Map.of("TZ", "UTC\0x")));
        crafted.put("forwarded env value with NUL, again", request(List.of("-version"), "/", Map.of("LANG", "C\0")));
        crafted.put("env name with '='", request(List.of("-version"), "/", Map.of("TZ=UTC", "x")));
        crafted.put("env name with NUL", request(List.of("-version"), "/", Map.of("T\0Z", "x")));
        crafted.put("empty env name", request(List.of("-version"), "/", Map.of("", "x")));
        crafted.put("argument with NUL", request(List.of("-version\0; id"), "/", Map.of()));
        crafted.put("cwd with NUL", request(List.of("-version"), "/tmp\0/x", Map.of()));
        crafted.put("relative cwd", request(List.of("-version"), "tmp", Map.of()));
        crafted.put("huge argument count", hugeCount());
        Map<String, String> outcomes = new LinkedHashMap<>();
        Map<String, String> expected = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> c : crafted.entrySet()) {
            outcomes.put(c.getKey(), send(c.getValue()));
            expected.put(c.getKey(), "exit " + JobExitCodes.PROTOCOL);
        }

        StatusReply.HostStatus w = harness.status().hosts().get(0);
        String slots = "w own=" + w.own() + " eligible=" + w.eligible();
        // A run (a bare -version would be answered from the profile, and leave no job to look at).
        SocketJobs.Result ok = harness.call(Tool.FFMPEG, DaemonHarness.bytes("-loglevel", "error", "-version"),
            "/".getBytes(StandardCharsets.UTF_8));
        JobRecord last = lastJob();
        assertEquals(expected + "\nw own=0 eligible=true\nlast job on w exit 0",
            outcomes + "\n" + slots + "\nlast job on " + last.host() + " exit " + ok.exitCode());
    }

    private JobRecord lastJob() throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.SHORT.toNanos();
        while (true) {
            List<JobRecord> jobs = harness.daemon().store().jobs(1, null, false);
            if (!jobs.isEmpty() && jobs.get(0).ended() != null || System.nanoTime() > deadline) {
                return jobs.isEmpty() ? new JobRecord(0, "", "none", "", null, null, null, null, JobState.RUNNING, null, null, null) : jobs.get(0);
            }
            Thread.sleep(20);
        }
    }

    /** "exit N", or what happened instead of an EXIT frame. */
    private String send(byte[] payload) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(harness.socket()))) {
            OutputStream out = ChannelStreams.out(channel);
            InputStream in = ChannelStreams.in(channel);
            // The request alone: a refused one is answered and closed at once, so anything written
            // after it may meet a closed socket (Broken pipe) before the EXIT frame is read.
            FrameCodec.write(out, FrameType.JOB, payload, 0, payload.length);
            for (Frame frame = FrameCodec.read(in); frame != null; frame = FrameCodec.read(in)) {
                if (frame.type() == FrameType.EXIT) {
                    return "exit " + frame.exitCode();
                }
            }
            return "closed without EXIT";
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    /** A JOB payload written field by field, so it can hold what the JobRequest record never would. */
    static byte[] request(List<String> args, String cwd, Map<String, String> env) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(1);
        out.writeByte(Tool.FFMPEG.ordinal());
        out.writeInt(args.size());
        for (String a : args) {
            field(out, a);
        }
        field(out, cwd);
        out.writeInt(env.size());
        for (Map.Entry<String, String> e : env.entrySet()) {
            field(out, e.getKey());
            field(out, e.getValue());
        }
        return bytes.toByteArray();
    }

    private static byte[] hugeCount() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(1);
        out.writeByte(Tool.FFMPEG.ordinal());
        out.writeInt(Integer.MAX_VALUE);
        out.write(new byte[4096]);
        return bytes.toByteArray();
    }

    private static void field(DataOutputStream out, String value) throws IOException {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
