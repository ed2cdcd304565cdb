package dev.ffdispatch.ssh;

/**
 * Where and as whom to log in.
 *
 * @param name the host's name in ffdispatch (used in logs and errors)
 * @param address DNS name or IP address (IPv6 without brackets)
 * @param port SSH port
 * @param user login user on the worker
 */
public record SshTarget(String name, String address, int port, String user) {
    /** {@code address:port}, with an IPv6 address in brackets so the port stays readable. */
    public String hostPort() {
        return hostPort(address, port);
    }

    /** {@code user@address:port}, as messages show a login. */
    public String login() {
        return user + "@" + hostPort();
    }

    /** {@code address:port}; {@code [2001:db8::1]:22} for an IPv6 address. */
    public static String hostPort(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
