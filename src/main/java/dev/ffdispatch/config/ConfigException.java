package dev.ffdispatch.config;

/**
 * A configuration that cannot be used. The message names where (file:line:col or the environment
 * variable), the key, the bad value and what is accepted.
 */
public class ConfigException extends RuntimeException {
    private final String key;

    /** A problem with {@code key} whose location is not (yet) known. */
    public ConfigException(String key, String detail) {
        super("key '" + key + "' " + detail);
        this.key = key;
    }

    ConfigException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The dotted key path ({@code poll.interval}), or "" for the file as a whole. */
    public String key() {
        return key;
    }

    /** The same problem prefixed by where it was written ({@code /etc/x.yml:3:5}). */
    ConfigException at(String where) {
        return new ConfigException(key, where + ": " + getMessage(), this);
    }
}
