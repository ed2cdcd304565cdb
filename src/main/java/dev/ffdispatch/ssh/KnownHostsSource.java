package dev.ffdispatch.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where pinned worker host keys live, as known_hosts lines (OpenSSH format, {@code @revoked}
 * honoured): the managed file of one server ({@link #file}), or the state shared by several
 * servers ({@link #of}: the {@code known_hosts} table on PostgreSQL), so a key pinned through
 * one server is trusted by all.
 */
public interface KnownHostsSource {
    /** The current entries. */
    List<KnownHostEntry> entries() throws IOException;

    /** Replaces every line naming exactly {@code pattern} (not {@code @revoked} ones) by {@code line}. */
    void pin(String pattern, String line) throws IOException;

    /** For messages: the file, or the table and its database. */
    String describe();

    /** Reads lines; an IOException says why they cannot be had. */
    @FunctionalInterface
    interface LinesReader {
        List<String> read() throws IOException;
    }

    /** Pins one line for one host pattern. */
    @FunctionalInterface
    interface LinePinner {
        void pin(String pattern, String line) throws IOException;
    }

    /** The managed known_hosts file, re-read when it changed on disk (host trust pins while the daemon runs). */
    static KnownHostsSource file(Path file) {
        return new FileSource(file);
    }

    /**
     * Lines kept elsewhere (a database table). When they cannot be read, the last lines read are
     * used, so a database that is away for a while does not make trusted workers untrusted.
     */
    static KnownHostsSource of(String description, LinesReader reader, LinePinner pinner) {
        return new LinesSource(description, reader, pinner);
    }

    /** The managed known_hosts file. */
    final class FileSource implements KnownHostsSource {
        private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);
        private final Path file;
        private FileTime modified;
        private long size = -1;
        private List<KnownHostEntry> entries = List.of();

        FileSource(Path file) {
            this.file = Objects.requireNonNull(file, "file");
        }

        @Override
        public synchronized List<KnownHostEntry> entries() throws IOException {
            FileTime nowModified;
            long nowSize;
            try {
                nowModified = Files.getLastModifiedTime(file);
                nowSize = Files.size(file);
            } catch (NoSuchFileException e) {
                return List.of();
            }
            if (!nowModified.equals(modified) || nowSize != size) {
                List<KnownHostEntry> read = KnownHostEntry.readKnownHostEntries(file);
                entries = read == null ? List.of() : List.copyOf(read);
                modified = nowModified;
                size = nowSize;
                LOG.debug("knownHosts(file={}) reloaded entries={}", file, entries.size());
            }
            return entries;
        }

        @Override
        public synchronized void pin(String pattern, String line) throws IOException {
            List<String> kept = new ArrayList<>();
            if (Files.exists(file)) {
                for (String old : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!KnownHosts.namesExactly(old, pattern)) {
                        kept.add(old);
                    }
                }
            }
            kept.add(line);
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".known_hosts", ".tmp");
            try {
                Files.write(temp, kept, StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            modified = null;
        }

        @Override
        public String describe() {
            return file.toString();
        }
    }

    /** Lines from elsewhere, with the last good read kept for when that place is away. */
    final class LinesSource implements KnownHostsSource {
        private static final Logger LOG = LoggerFactory.getLogger(LinesSource.class);
        private final String description;
        private final LinesReader reader;
        private final LinePinner pinner;
        private List<KnownHostEntry> lastGood;

        LinesSource(String description, LinesReader reader, LinePinner pinner) {
            this.description = description;
            this.reader = reader;
            this.pinner = pinner;
        }

        @Override
        public synchronized List<KnownHostEntry> entries() throws IOException {
            List<String> lines;
            try {
                lines = reader.read();
            } catch (IOException e) {
                if (lastGood == null) {
                    throw e;
                }
                LOG.debug("knownHosts({}) unreadable, using the {} entries read before: {}", description, lastGood.size(),
                    e.getMessage());
                return lastGood;
            }
            List<KnownHostEntry> entries = new ArrayList<>();
            for (String line : lines) {
                KnownHostEntry entry = KnownHostEntry.parseKnownHostEntry(line);
                if (entry != null) {
                    entries.add(entry);
                }
            }
            lastGood = List.copyOf(entries);
            return lastGood;
        }

        @Override
        public void pin(String pattern, String line) throws IOException {
            pinner.pin(pattern, line);
        }

        @Override
        public String describe() {
            return description;
        }
    }
}
