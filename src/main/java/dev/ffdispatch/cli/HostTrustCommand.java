package dev.ffdispatch.cli;

import dev.ffdispatch.ssh.HostKeys;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ffdispatch host trust <name>}: shows the worker's SSH host key fingerprint and pins it
 * in ffdispatch's known_hosts. Keys are never accepted silently: compare the fingerprint with
 * {@code ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub} on the worker.
 */
@Command(name = "trust", mixinStandardHelpOptions = true,
    description = {"Show a worker's SSH host key fingerprint and pin it.",
        "Asks first unless --yes. Compare the fingerprint with 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' on the worker."})
final class HostTrustCommand implements Callable<Integer> {
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<name>", description = HostCommand.NAME)
    String name;

    @Option(names = "--yes", description = "Pin without asking (for scripts).")
    boolean yes;

    @Override
    public Integer call() throws IOException {
        CliContext ctx = CliContext.of(spec);
        try (Store store = ctx.openStore()) {
            return trust(ctx, store.requireHost(name), new HostKeys(store.knownHosts(ctx.config().state().knownHosts())));
        }
    }

    /** With PostgreSQL the key goes into the table every server sharing the pool reads. */
    private int trust(CliContext ctx, HostRecord host, HostKeys keys) throws IOException {
        SshTarget target = new SshTarget(host.name(), host.address(), host.port(), host.login(ctx.config().ssh().user()));
        PublicKey offered;
        try {
            offered = keys.fetch(target, FETCH_TIMEOUT);
        } catch (IOException e) {
            throw new CliException(AdminExitCodes.ERROR, "cannot reach " + target.hostPort() + " to read its host key: "
                + e.getMessage() + ". Check the address and port (ffdispatch host show " + name + ") and that sshd runs there");
        }
        String fingerprint = HostKeys.fingerprint(offered);
        Optional<PublicKey> pinned = keys.pinned(target);
        if (pinned.isPresent() && pinned.get().equals(offered)) {
            ctx.out().println("host '" + name + "' key " + fingerprint + " is already pinned");
            return AdminExitCodes.OK;
        }
        if (pinned.isPresent()) {
            ctx.err().println("WARNING: the host key of '" + name + "' CHANGED. Pinned: " + HostKeys.fingerprint(pinned.get())
                + ", offered now: " + fingerprint + ". Pin the new one only if the worker was reinstalled.");
        }
        ctx.out().println("host '" + name + "' (" + target.hostPort() + ") offers " + offered.getAlgorithm()
            + " key " + fingerprint);
        ctx.out().flush();
        if (!yes && !confirmed(ctx)) {
            throw new CliException(AdminExitCodes.UNEXPECTED_STATE, "not pinned; run again and answer 'yes', or add --yes in scripts");
        }
        keys.pin(target, offered);
        ctx.out().println("pinned; the daemon probes the host with this key from now on");
        return AdminExitCodes.OK;
    }

    private boolean confirmed(CliContext ctx) throws IOException {
        if (System.console() == null) {
            throw new CliException(AdminExitCodes.INVALID_INPUT, "no terminal to ask on; compare the fingerprint and run again with --yes");
        }
        ctx.out().print("Pin this key? Compare it with 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' on the worker. [yes/no] ");
        ctx.out().flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && (answer.trim().equalsIgnoreCase("yes") || answer.trim().equalsIgnoreCase("y"));
    }
}
