package dev.ffdispatch.poll;

import dev.ffdispatch.ssh.SshTarget;
import java.util.Objects;

/**
 * A host the poller probes.
 *
 * @param id the host's id in the store
 * @param target where to log in; its name is the host's name in logs
 */
public record PolledHost(long id, SshTarget target) {

    public PolledHost {
        Objects.requireNonNull(target, "target");
    }

    /** The host's name, for logs. */
    public String name() {
        return target.name();
    }
}
