package dev.ffdispatch.daemon;

import dev.ffdispatch.caps.Capabilities;
import dev.ffdispatch.caps.CapabilityProbes;
import dev.ffdispatch.caps.LearnScript;
import dev.ffdispatch.caps.ProbeAnswer;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.ssh.BinaryIdentity;
import dev.ffdispatch.store.ProfileRecord;
import dev.ffdispatch.store.Store;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The capability profiles the daemon knows, in memory for the hot path and in the store so a
 * restart does not learn them again. One profile per machine and tool, for one binary: a profile
 * of another binary replaces it whole.
 */
final class ProfileBook {
    /** Which profile: a machine ({@link ProfileRecord#host}, {@link ProfileRecord#local}) and a tool. */
    record Key(String machine, Tool tool) {
        String toolName() {
            return tool.command();
        }
    }

    /**
     * One binary's profile. Immutable: an answer learned later makes a new one.
     *
     * @param workingHwaccels listed devices that passed their test; null when none was tested
     * @param capabilities what its listings say it can do; null while they are missing or are no ffmpeg's
     */
    record Profile(BinaryIdentity identity, Instant learned, Set<String> workingHwaccels, Map<String, ProbeAnswer> answers,
                   Capabilities capabilities) {
        static Profile of(BinaryIdentity identity, Instant learned, Set<String> workingHwaccels, Map<String, ProbeAnswer> answers) {
            Map<String, ProbeAnswer> copy = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
            Set<String> hw = workingHwaccels == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(workingHwaccels));
            return new Profile(identity, learned, hw, copy, Capabilities.read(copy, hw));
        }

        /** Whether every probe learned up front is in it (a profile begun by one answer is not). */
        boolean complete() {
            return answers.keySet().containsAll(CapabilityProbes.LEARNED);
        }

        Profile with(String probe, ProbeAnswer answer) {
            Map<String, ProbeAnswer> more = new LinkedHashMap<>(answers);
            more.put(probe, answer);
            return of(identity, learned, workingHwaccels, more);
        }
    }

    private final Store store;
    private final ConcurrentMap<Key, Profile> profiles = new ConcurrentHashMap<>();

    ProfileBook(Store store) {
        this.store = store;
    }

    /** Reads every stored profile; they are used until an identity check says their binary changed. */
    void load() {
        Map<Key, Profile> stored = new LinkedHashMap<>();
        for (ProfileRecord r : store.profiles()) {
            stored.put(new Key(r.machine(), Tool.valueOf(r.tool().toUpperCase(Locale.ROOT))),
                Profile.of(new BinaryIdentity(r.path(), r.size(), r.modified()), r.learned(), r.workingHwaccels(), r.answers()));
        }
        profiles.keySet().retainAll(stored.keySet());
        profiles.putAll(stored);
    }

    /** The profile of {@code key}, or null when none is known. */
    Profile get(Key key) {
        return profiles.get(key);
    }

    Set<Key> keys() {
        return Set.copyOf(profiles.keySet());
    }

    /** Keeps what one learn run found about {@code identity}, replacing whatever was known of {@code key}. */
    Profile learned(Key key, BinaryIdentity identity, LearnScript.Learned learned, Instant now) {
        Profile profile = Profile.of(identity, now, learned.workingHwaccels(), learned.answers());
        // Under the key's lock, so an answer kept at the same moment is not lost in between.
        return profiles.compute(key, (k, old) -> {
            store.saveProfile(record(key, profile));
            return profile;
        });
    }

    /** Adds an answer a run of the probe gave (asked for the first time) to the profile of {@code identity}. */
    void answered(Key key, BinaryIdentity identity, String probe, ProbeAnswer answer, Instant now) {
        profiles.compute(key, (k, old) -> {
            Profile profile = old != null && old.identity().equals(identity) ? old.with(probe, answer)
                : Profile.of(identity, now, null, Map.of(probe, answer));
            store.addProbeAnswer(record(key, Profile.of(identity, profile.learned(), null, Map.of())), probe, answer);
            return profile;
        });
    }

    private static ProfileRecord record(Key key, Profile p) {
        return new ProfileRecord(key.machine(), key.toolName(), p.identity().path(), p.identity().size(), p.identity().modified(),
            p.learned(), p.workingHwaccels(), p.answers());
    }
}
