package dev.ffdispatch.daemon;

import dev.ffdispatch.store.RouteRecord;
import dev.ffdispatch.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin's routing rules ({@code ffdispatch route add}), read from the store when they change:
 * a job whose arguments match a rule's pattern goes only to the hosts it names ({@code local}:
 * this machine). The first matching rule decides; no rule matching leaves the job to the ranking.
 */
final class Routes {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

    private final Store store;
    private volatile List<Rule> rules = List.of();
    private volatile long seen = Long.MIN_VALUE;

    /**
     * One rule as the dispatcher uses it.
     *
     * @param workers the host names it allows, without {@code local}
     * @param local whether it allows this machine
     */
    record Rule(long id, Pattern pattern, Set<String> workers, boolean local) {
        boolean allows(WorkerHost host) {
            return host != null && workers.contains(host.record().name());
        }

        /** {@code routing rule 3 (-c:v h264_nvenc -> gpu1, gpu2)}. */
        String describe() {
            List<String> names = new ArrayList<>(workers);
            if (local) {
                names.add(RouteRecord.LOCAL);
            }
            return "routing rule " + id + " (" + pattern.pattern() + " -> " + String.join(", ", names) + ")";
        }
    }

    Routes(Store store) {
        this.store = store;
    }

    /** Reads the rules again when they changed since the last call; cheap otherwise. */
    void refresh() {
        long counter = store.routesCounter();
        if (counter == seen) {
            return;
        }
        List<Rule> next = store.routes().stream().map(r -> new Rule(r.id(), r.compiled(),
            Set.copyOf(r.hosts().stream().filter(h -> !h.equals(RouteRecord.LOCAL)).toList()),
            r.hosts().contains(RouteRecord.LOCAL))).toList();
        if (!next.equals(rules)) {
            LOG.info("routes: {} rule(s){}", next.size(), next.isEmpty() ? ""
                : ": " + String.join("; ", next.stream().map(Rule::describe).toList()));
        }
        rules = next;
        seen = counter;
    }

    /** The first rule whose pattern occurs in {@code joinedArgs}, or null. */
    Rule match(String joinedArgs) {
        for (Rule rule : rules) {
            if (rule.pattern().matcher(joinedArgs).find()) {
                return rule;
            }
        }
        return null;
    }
}
