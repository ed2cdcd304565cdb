package dev.ffdispatch.migrate;

import dev.ffdispatch.posix.ProgramPaths;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.HostChanges;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.NewHost;
import dev.ffdispatch.store.Store;
import dev.ffdispatch.store.StoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps an rffmpeg install onto ffdispatch's hosts. Idempotent: a host whose name exists is
 * compared field by field and updated only where it differs, so a second run changes nothing.
 * What lives in ffdispatch's config file rather than its database (the SSH identity, the local
 * fallback ffmpeg) is returned as YAML to add, never written.
 */
public final class RffmpegImport {
    static final int MAX_WEIGHT = 1000;

    /**
     * What an import did and could not do.
     *
     * @param hosts one line per rffmpeg host: added, updated (with what changed), unchanged or skipped
     * @param notImported settings with no ffdispatch equivalent, each with the reason
     * @param yaml lines to add to ffdispatch.yml
     * @param toTrust names of hosts whose SSH host key must be pinned next
     * @param changed hosts added or updated
     */
    public record Report(List<String> hosts, List<String> notImported, List<String> yaml, List<String> toTrust, int changed) {
        /** True when the rffmpeg database had hosts and none of them was imported (or was already there). */
        public boolean nothingImported() {
            return !hosts.isEmpty() && hosts.stream().allMatch(line -> line.startsWith("skipped"));
        }
    }

    private final RffmpegSetup setup;
    private final List<String> notImported = new ArrayList<>();
    private final List<String> yaml = new ArrayList<>();

    private RffmpegImport(RffmpegSetup setup) {
        this.setup = setup;
    }

    /**
     * @param identities ffdispatch's {@code ssh.identities}, to tell whether rffmpeg's key must be added
     * @param dryRun report only; the store is not written
     */
    public static Report run(RffmpegSetup setup, Store store, List<Path> identities, boolean dryRun) {
        return new RffmpegImport(setup).apply(store, identities, dryRun);
    }

    private Report apply(Store store, List<Path> identities, boolean dryRun) {
        SshArgs ssh = SshArgs.parse(setup.list("remote", "args", RffmpegSetup.DEFAULT_ARGS));
        notImported.addAll(ssh.unmapped());
        String user = setup.setting("remote", "user", RffmpegSetup.DEFAULT_USER);
        String ffmpeg = setup.setting("commands", "ffmpeg", RffmpegSetup.DEFAULT_FFMPEG);
        String ffprobe = setup.setting("commands", "ffprobe", RffmpegSetup.DEFAULT_FFPROBE);
        String ffprobeToStore = ffprobe.equals(ProgramPaths.ffprobe(null, ffmpeg)) ? null : ffprobe;
        suggestions(ssh, identities);
        List<String> hostLines = new ArrayList<>();
        List<String> toTrust = new ArrayList<>();
        int changed = 0;
        for (RffmpegSetup.Host h : setup.hosts()) {
            String name = h.servername() == null || h.servername().isBlank() ? h.hostname() : h.servername();
            if (h.hostname() == null || h.hostname().isBlank()) {
                hostLines.add("skipped   " + (name == null || name.isBlank() ? "row " + h.id() : name) + ": no hostname"
                    + " in rffmpeg's database (id " + h.id() + "); add it by hand: ffdispatch host add <address>"
                    + (name == null || name.isBlank() ? "" : " --name " + name));
                continue;
            }
            if (List.of("localhost", "127.0.0.1", "::1").contains(h.hostname())) {
                hostLines.add("skipped   " + name + ": rffmpeg runs '" + h.hostname() + "' jobs locally without SSH;"
                    + " ffdispatch does that by itself as the fallback (local.fallback)");
                continue;
            }
            int weight = Math.max(1, Math.min(MAX_WEIGHT, h.weight()));
            if (weight != h.weight()) {
                notImported.add("weight " + h.weight() + " of host " + name + ": ffdispatch accepts 1.." + MAX_WEIGHT
                    + ", imported as " + weight);
            }
            try {
                String line = importHost(store, new NewHost(name, h.hostname(), ssh.port(), user, weight, null, ffmpeg,
                    ffprobeToStore, List.of(), null), dryRun);
                hostLines.add(line);
                if (!line.startsWith("unchanged")) {
                    changed++;
                }
                toTrust.add(name);
            } catch (StoreException e) {
                hostLines.add("skipped   " + name + ": " + e.getMessage());
            }
        }
        return new Report(hostLines, List.copyOf(notImported), List.copyOf(yaml), toTrust, changed);
    }

    private static String importHost(Store store, NewHost wanted, boolean dryRun) {
        Optional<HostRecord> existing = store.host(wanted.name());
        String summary = wanted.user() + "@" + SshTarget.hostPort(wanted.address(), wanted.port()) + ", weight " + wanted.weight()
            + ", ffmpeg " + wanted.ffmpeg();
        if (existing.isEmpty()) {
            if (!dryRun) {
                store.addHost(wanted);
            }
            return "added     " + wanted.name() + " (" + summary + ")";
        }
        HostRecord old = existing.get();
        List<String> diffs = new ArrayList<>();
        String address = differ(diffs, "address", old.address(), wanted.address());
        Integer port = differ(diffs, "port", old.port(), wanted.port());
        String user = differ(diffs, "user", old.user(), wanted.user());
        Integer weight = differ(diffs, "weight", old.weight(), wanted.weight());
        String ffmpeg = differ(diffs, "ffmpeg", old.ffmpeg(), wanted.ffmpeg());
        String ffprobe = differ(diffs, "ffprobe", old.ffprobe(), wanted.ffprobe());
        if (diffs.isEmpty()) {
            return "unchanged " + wanted.name();
        }
        if (!dryRun) {
            // "" returns an optional value to its default (null), which is what the import wants there.
            store.updateHost(wanted.name(), new HostChanges(address, port, user, weight, null,
                ffmpeg, ffprobe, null, null));
        }
        return "updated   " + wanted.name() + ": " + String.join(", ", diffs);
    }

    /** Records a difference; returns the value to set ("" for a string that goes back to null), or null to keep. */
    @SuppressWarnings("unchecked")
    private static <T> T differ(List<String> diffs, String field, T old, T wanted) {
        if (Objects.equals(old, wanted)) {
            return null;
        }
        diffs.add(field + " " + (old == null ? "(default)" : old) + " -> " + (wanted == null ? "(default)" : wanted));
        return wanted == null ? (T) "" : wanted;
    }

    private void suggestions(SshArgs ssh, List<Path> identities) {
        if (ssh.identity() != null && !identities.contains(Path.of(ssh.identity()))) {
            yaml.add("ssh:");
            yaml.add("  identities: [" + ssh.identity() + "]   # rffmpeg's -i key; the ffdispatch user must be able to read it");
        }
        String fallbackFfmpeg = setup.setting("commands", "fallback_ffmpeg", null);
        String fallbackFfprobe = setup.setting("commands", "fallback_ffprobe", null);
        if (fallbackFfmpeg != null || fallbackFfprobe != null) {
            yaml.add("local:");
            if (fallbackFfmpeg != null) {
                yaml.add("  ffmpeg: " + fallbackFfmpeg);
            }
            if (fallbackFfprobe != null) {
                yaml.add("  ffprobe: " + fallbackFfprobe);
            }
        }
        List<String> pre = setup.list("commands", "pre", List.of());
        if (!pre.isEmpty()) {
            notImported.add("commands.pre " + pre + ": no equivalent; put the prefix in a wrapper script on the worker"
                + " and point at it: ffdispatch host set <name> --ffmpeg <script>");
        }
        note("remote", "persist", "ffdispatch always keeps pooled SSH connections (ssh.idle_timeout, ssh.heartbeat)");
        note("commands", "ssh", "ffdispatch has its own SSH client (no ssh binary, no ControlMaster)");
        note("commands", "special_flags", "not needed: ffdispatch never merges stdout into stderr");
        for (String key : List.of("state", "persist", "owner", "group")) {
            note("directories", key, "rffmpeg's own state; ffdispatch keeps its state in state.database");
        }
        for (String key : List.of("log_to_file", "logfile", "datedlogfiles", "datedlogdir", "debug")) {
            note("logging", key, "ffdispatch logs to the journal (stderr); set log.file and log.level if you want a file");
        }
    }

    private void note(String section, String key, String why) {
        String value = setup.setting(section, key, null);
        if (value != null) {
            notImported.add(section + "." + key + " (" + value + "): " + why);
        }
    }
}
