package dev.ffdispatch.ssh;

/**
 * Where and as whom to log in.
 *
 * @param name the host's name in ffdispatch (used in logs and errors)
 * @param address DNS name or IP address
 * @param port SSH port
 * @param user login user on the worker
 */
public record SshTarget(String name, String address, int port, String user) {
}
