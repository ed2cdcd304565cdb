package dev.ffdispatch.cli;

import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.ProfileRecord;
import dev.ffdispatch.store.RouteRecord;
import dev.ffdispatch.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;

/** {@code ffdispatch host <verb>}: the worker hosts in the database. Small verbs are methods here. */
@Command(name = "host", mixinStandardHelpOptions = true,
        description = {"Manage worker hosts.", "A running daemon picks changes up within a second; no restart is needed."},
        subcommands = {HostAddCommand.class, HostSetCommand.class, HostTrustCommand.class})
final class HostCommand {
    /** The description of every {@code <name>} parameter. */
    static final String NAME = "The host's name, as 'ffdispatch host list' shows it (the address unless --name was given).";

    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List hosts in the order they were added.")
    int list(@Option(names = "--json", description = "Print a JSON array.") boolean json) {
        CliContext ctx = CliContext.of(spec);
        List<HostRecord> hosts;
        try (Store store = ctx.openStore()) {
            hosts = store.hosts();
        }
        HostView view = new HostView(ctx.config());
        if (json) {
            view.printJson(ctx.out(), hosts.stream().map(view::json).toList());
        } else if (hosts.isEmpty()) {
            ctx.out().println("no hosts yet; add one with: ffdispatch host add <address>");
        } else {
            view.printList(ctx.out(), hosts);
        }
        return AdminExitCodes.OK;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one host's settings, and the capability profile the daemon learned of its ffmpeg.")
    int show(@Parameters(paramLabel = "<name>", description = NAME) String name,
             @Option(names = "--json", description = "Print a JSON object.") boolean json) {
        CliContext ctx = CliContext.of(spec);
        HostRecord host;
        ProfileRecord profile;
        try (Store store = ctx.openStore()) {
            host = store.requireHost(name);
            profile = store.profiles(ProfileRecord.host(host.id())).stream().filter(p -> p.tool().equals("ffmpeg"))
                    .findFirst().orElse(null);
        }
        HostView view = new HostView(ctx.config());
        if (json) {
            view.printJson(ctx.out(), view.json(host).set("profile", profile == null ? null : ProfileView.json(profile)));
        } else {
            view.printShow(ctx.out(), host);
            ProfileView.print(ctx.out(), profile);
        }
        return AdminExitCodes.OK;
    }

    @Command(name = "relearn", mixinStandardHelpOptions = true,
            description = {"Forget the capability profiles of hosts (or 'local', this machine), so the running daemon"
                    + " learns them again now.", "Needed only when ffmpeg's libraries changed but the ffmpeg binary"
                    + " itself did not (a new binary is noticed by itself)."})
    int relearn(@Parameters(paramLabel = "<name>", arity = "1..*", description = "Host names, or 'local'.") List<String> names) {
        CliContext ctx = CliContext.of(spec);
        try (Store store = ctx.openStore()) {
            for (String name : names) {
                String machine = name.equals(RouteRecord.LOCAL) ? ProfileRecord.local(ctx.config().state().effectiveServerName())
                        : ProfileRecord.host(store.requireHost(name).id());
                int forgotten = store.forgetProfiles(machine);
                ctx.out().println(name + ": " + (forgotten == 0 ? "no profile was stored; the daemon learns it when it can"
                        : "forgot " + forgotten + " profile(s); the running daemon learns them again now"));
            }
        }
        return AdminExitCodes.OK;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Remove a host.", "Refused while jobs run there, unless --force."})
    int remove(@Parameters(paramLabel = "<name>", description = NAME) String name,
               @Option(names = "--force", description = "Remove even with running jobs (they run on until they end).")
               boolean force) {
        CliContext ctx = CliContext.of(spec);
        try (Store store = ctx.openStore()) {
            store.removeHost(name, force);
        }
        ctx.out().println("removed host '" + name + "'");
        return AdminExitCodes.OK;
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Start no new jobs on a host; running jobs finish.")
    int drain(@Parameters(paramLabel = "<name>", description = NAME) String name) {
        return setDrained(name, true, "drained host '" + name + "': running jobs finish, no new jobs start there");
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a drained host take jobs again.")
    int enable(@Parameters(paramLabel = "<name>", description = NAME) String name) {
        return setDrained(name, false, "enabled host '" + name + "'");
    }

    private int setDrained(String name, boolean drained, String done) {
        CliContext ctx = CliContext.of(spec);
        try (Store store = ctx.openStore()) {
            store.setDrained(name, drained);
        }
        ctx.out().println(done);
        return AdminExitCodes.OK;
    }
}
