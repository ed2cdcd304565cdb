package dev.ffdispatch.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Worker host keys: fetching the key a worker offers, pinning it (in the managed known_hosts
 * file, or in the table servers sharing a PostgreSQL state read), and reading what is pinned. Used by {@code ffdispatch host trust <name> [--yes]}.
 */
public final class HostKeys {
    private final KnownHosts knownHosts;

    public HostKeys(Path knownHostsFile) {
        this(KnownHostsSource.file(knownHostsFile));
    }

    /** Keys kept in {@code source}: the file, or the table several servers share. */
    public HostKeys(KnownHostsSource source) {
        this.knownHosts = new KnownHosts(source);
    }

    /**
     * Connects to the worker only to learn its host key, then aborts (no login, nothing runs).
     *
     * @throws IOException when the worker cannot be reached within {@code timeout}
     */
    public PublicKey fetch(SshTarget target, Duration timeout) throws IOException {
        CompletableFuture<PublicKey> offered = new CompletableFuture<>();
        SshClient client = SshClient.setUpDefaultClient();
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setServerKeyVerifier((session, address, key) -> {
            offered.complete(key);
            return false; // abort: we only wanted the key
        });
        CoreModuleProperties.NIO_WORKERS.set(client, 1);
        client.start();
        try (ClientSession session = client.connect(target.user(), target.address(), target.port())
                 .verify(timeout).getSession()) {
            return offered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("host " + target.name() + " (" + target.hostPort()
                + ") sent no host key within " + Reasons.duration(timeout) + ": is it an SSH server?", e);
        } catch (ExecutionException e) {
            throw new IOException("host " + target.name() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("host " + target.name() + ": interrupted while fetching its host key", e);
        } catch (IOException e) {
            PublicKey key = offered.getNow(null);
            if (key != null) {
                // Our refusal closed the session before connect() attached it (a fast worker, a
                // busy client): connect fails with "no session attached", but the key is here.
                return key;
            }
            throw new IOException("host " + target.name() + " (" + target.hostPort()
                + ") unreachable within " + Reasons.duration(timeout) + ": " + Reasons.of(e), e);
        } finally {
            client.stop();
        }
    }

    /** The fingerprint as OpenSSH prints it: {@code SHA256:<base64 without padding>}. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    /** Pins {@code key} for the target's address and port, replacing any older line (atomic write). */
    public void pin(SshTarget target, PublicKey key) throws IOException {
        if (knownHosts.revoked(target.address(), target.port(), key)) {
            throw new IOException("host key " + describe(key) + " of " + target.name() + " is marked @revoked in "
                + knownHosts.where() + " and is not pinned: give the worker a new host key, then trust it again");
        }
        knownHosts.pin(target.address(), target.port(), key);
    }

    /** The key pinned for the target's address and port, if any. */
    public Optional<PublicKey> pinned(SshTarget target) throws IOException {
        return knownHosts.pinned(target.address(), target.port());
    }

    /** Both keys' algorithms and fingerprints, for "changed key" messages. */
    static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + fingerprint(key);
    }
}
