package dev.ffdispatch.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The socket's owner, group and mode: Jellyfin's user must reach it through the group, and
 * nobody else should (whoever can connect can run commands on the workers).
 */
public final class SocketCheck {
    private SocketCheck() {
    }

    /** @param group {@code daemon.socket_group}; "" for the daemon's own group */
    public static Check check(Path socket, String group) {
        String name = "socket permissions";
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return Check.fail(name, "cannot read " + socket + ": " + e.getMessage(), "start the daemon; check daemon.socket");
        }
        String mode = PosixFilePermissions.toString(attrs.permissions());
        String detail = socket + " owner " + attrs.owner().getName() + " group " + attrs.group().getName() + " mode " + mode;
        if (attrs.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return Check.fail(name, detail + ": anyone on this machine may submit jobs",
                "restart the daemon (it sets mode rw-rw----); never chmod the socket by hand");
        }
        if (!group.isBlank() && !group.equals(attrs.group().getName())) {
            return Check.fail(name, detail + ": daemon.socket_group is '" + group + "'",
                "restart the daemon so it applies daemon.socket_group, and check that group '" + group + "' exists");
        }
        return Check.ok(name, detail);
    }
}
