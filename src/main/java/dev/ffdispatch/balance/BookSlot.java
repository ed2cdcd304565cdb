package dev.ffdispatch.balance;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One host's place in a {@link HostBook}: its spec, which changes as the hosts table does, and
 * whatever the book counts there. Guarded by the book's lock.
 */
public abstract class BookSlot implements Ranking.Candidate {
    private HostSpec spec;

    protected BookSlot(HostSpec spec) {
        this.spec = spec;
    }

    @Override
    public final HostSpec spec() {
        return spec;
    }

    /** Up and not drained, or not. */
    public final void setEligible(boolean eligible) {
        spec = spec.withEligible(eligible);
    }

    /**
     * Makes {@code slots} one slot per host, by id. A host still present keeps its slot and its
     * counts (its jobs still run) with the new spec; a new host gets {@code create}; a removed
     * host is forgotten.
     *
     * @throws IllegalArgumentException when two hosts have the same id
     */
    public static <S extends BookSlot> void replace(Map<Long, S> slots, Collection<HostSpec> hosts,
                                                    Function<HostSpec, S> create) {
        Map<Long, S> next = new HashMap<>();
        for (HostSpec spec : hosts) {
            if (next.containsKey(spec.id())) {
                throw new IllegalArgumentException("host id " + spec.id() + " appears twice (" + spec.name()
                        + " and " + next.get(spec.id()).spec().name() + "); host ids must be unique");
            }
            S slot = slots.get(spec.id());
            if (slot == null) {
                slot = create.apply(spec);
            } else {
                ((BookSlot) slot).spec = spec;
            }
            next.put(spec.id(), slot);
        }
        slots.clear();
        slots.putAll(next);
    }
}
