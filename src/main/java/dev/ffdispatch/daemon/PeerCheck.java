package dev.ffdispatch.daemon;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who may run jobs: the kernel's peer credentials of the connecting process, checked against
 * the daemon's own user, root, and the configured users and groups. File mode 0660 is the
 * first gate; this one names the refused user so the admin knows what to add.
 */
final class PeerCheck {
    private final Set<String> users;
    private final Set<String> groups;

    PeerCheck(String daemonUser, List<String> allowedUsers, List<String> allowedGroups) {
        this.users = new HashSet<>(allowedUsers);
        this.users.add(daemonUser);
        this.users.add("root");
        this.groups = Set.copyOf(allowedGroups);
    }

    /** The user name of the process at the other end, from the kernel. */
    static String user(SocketChannel channel) throws IOException {
        return channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
    }

    /** Null when the peer may connect, else the message telling it why not and what to change. */
    String refusal(SocketChannel channel) throws IOException {
        UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return refusal(peer.user().getName(), peer.group().getName());
    }

    String refusal(String user, String group) {
        if (users.contains(user) || groups.contains(group)) {
            return null;
        }
        return "user '" + user + "' (group '" + group + "') may not use this daemon; add it to daemon.allowed_users"
            + " or its group to daemon.allowed_groups in the ffdispatch config and restart the daemon";
    }
}
