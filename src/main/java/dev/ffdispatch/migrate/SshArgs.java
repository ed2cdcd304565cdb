package dev.ffdispatch.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * rffmpeg's {@code remote.args} (extra ssh arguments): {@code -i <key>} and {@code -p <port>}
 * (also {@code -o Port=N}) have ffdispatch equivalents; anything else is reported.
 *
 * @param identity the key file of {@code -i}, or null
 * @param port the SSH port (22 unless given)
 * @param unmapped arguments with no equivalent, each with the reason
 */
record SshArgs(String identity, int port, List<String> unmapped) {
    static SshArgs parse(List<String> args) {
        String identity = null;
        int port = 22;
        List<String> unmapped = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String next = i + 1 < args.size() ? args.get(i + 1) : null;
            if (arg.equals("-i") && next != null) {
                if (identity != null) {
                    unmapped.add("remote.args -i " + next + ": only the first key is imported; add more to ssh.identities");
                } else {
                    identity = next;
                }
                i++;
            } else if (arg.equals("-p") && next != null && next.matches("\\d{1,5}")) {
                port = Integer.parseInt(next);
                i++;
            } else if (arg.equals("-o") && next != null && next.matches("(?i)Port[= ]\\d{1,5}")) {
                port = Integer.parseInt(next.replaceAll("\\D", ""));
                i++;
            } else if (arg.equals("-o") && next != null) {
                unmapped.add("remote.args -o " + next + ": ffdispatch does not pass ssh options; its SSH settings are the ssh.* keys");
                i++;
            } else {
                unmapped.add("remote.args " + arg + ": no equivalent in ffdispatch's SSH client");
            }
        }
        return new SshArgs(identity, port, List.copyOf(unmapped));
    }
}
