package dev.ffdispatch.system;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the system suite needs from the machine. A missing piece FAILS the suite with the fix:
 * skipping silently would let CI report green without having run a single fault.
 */
final class SystemPreconditions {
    private SystemPreconditions() {
    }

    static void require() {
        String user = System.getProperty("user.name");
        if (!"root".equals(user)) {
            throw new AssertionError("the system suite (*SystemIT) needs root to create network namespaces, but runs as '"
                + user + "'; run it as root (CI does), or leave it out with -Dit.test='!*SystemIT'");
        }
        for (String program : new String[] {"/usr/sbin/sshd", "/usr/bin/ffmpeg", "/usr/bin/ffprobe"}) {
            if (!Files.isExecutable(Path.of(program))) {
                throw new AssertionError(program + " is missing; install it: apt-get install -y openssh-server ffmpeg");
            }
        }
        Cmd.Result netns = Cmd.run("ip", "netns", "list");
        if (netns.exitCode() != 0) {
            throw new AssertionError("'ip netns' does not work here (exit " + netns.exitCode() + ": "
                + netns.stderr().strip() + "); install iproute2 and run on a kernel with network namespaces"
                + " (a container needs CAP_SYS_ADMIN and CAP_NET_ADMIN)");
        }
        Cmd.Result unshare = Cmd.run("unshare", "--pid", "--fork", "--mount-proc", "true");
        if (unshare.exitCode() != 0) {
            throw new AssertionError("'unshare --pid --fork --mount-proc' fails (" + unshare.stderr().strip()
                + "); the suite needs PID namespaces (util-linux, CAP_SYS_ADMIN)");
        }
    }

    /** The workers' /24 must not be in use here, or their links would shadow real routes. */
    static void requireFreeNet(String net) {
        String prefix = net + ".";
        String addresses = Cmd.check("ip", "-o", "addr", "show") + Cmd.check("ip", "route", "show");
        if (addresses.contains(prefix)) {
            throw new AssertionError("the workers' test network " + net + ".0/24 is already in use on this machine: "
                + addresses.lines().filter(l -> l.contains(prefix)).toList()
                + "; choose a free /24 with -Dffdispatch.system.net=203.0.113");
        }
    }
}
