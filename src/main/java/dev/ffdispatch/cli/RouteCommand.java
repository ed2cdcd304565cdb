package dev.ffdispatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ffdispatch.store.RouteRecord;
import dev.ffdispatch.store.Store;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ffdispatch route <verb>}: routing rules, kept in the database (so every server sharing it
 * uses the same ones). A job whose arguments match a rule's pattern goes only to the hosts it
 * names. JSON fields of {@code list --json}: id, pattern, hosts, created.
 */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = {"Send a class of jobs to named hosts (routing rules, kept in the database).",
            "Jobs whose arguments, joined by spaces, contain a match of a rule's pattern (a Java regular expression) go"
                + " only to its hosts ('local': this machine). The first matching rule decides; the running daemon picks"
                + " changes up within a second."})
final class RouteCommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a rule after the existing ones.")
    int add(@Parameters(index = "0", paramLabel = "<pattern>", description = "e.g. '-c:v h264_nvenc' or '-hwaccel qsv'")
            String pattern,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "<host>", description = "host names, or 'local'")
            List<String> hosts) {
        CliContext ctx = CliContext.of(spec);
        RouteRecord route;
        try (Store store = ctx.openStore()) {
            route = store.addRoute(pattern, hosts);
        }
        ctx.out().println("added routing rule " + route.id() + ": jobs matching '" + route.pattern() + "' go only to "
                + String.join(", ", route.hosts()));
        return AdminExitCodes.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the rules in the order they are tried.")
    int list(@Option(names = "--json", description = "Print a JSON array.") boolean json) {
        CliContext ctx = CliContext.of(spec);
        List<RouteRecord> routes;
        try (Store store = ctx.openStore()) {
            routes = store.routes();
        }
        if (json) {
            ArrayNode array = JSON.createArrayNode();
            for (RouteRecord r : routes) {
                ObjectNode o = array.addObject();
                o.put("id", r.id());
                o.put("pattern", r.pattern());
                r.hosts().forEach(o.putArray("hosts")::add);
                o.put("created", r.created().toString());
            }
            ctx.out().println(array.toPrettyString());
        } else if (routes.isEmpty()) {
            ctx.out().println("no routing rules; every job goes to the best worker that has what it needs");
        } else {
            TextTable table = new TextTable("ID", "PATTERN", "HOSTS");
            routes.forEach(r -> table.row(r.id(), r.pattern(), String.join(",", r.hosts())));
            table.print(ctx.out());
        }
        return AdminExitCodes.OK;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a rule by its id (see route list).")
    int remove(@Parameters(paramLabel = "<id>", description = "The rule's id, as 'ffdispatch route list' shows it.") long id) {
        CliContext ctx = CliContext.of(spec);
        try (Store store = ctx.openStore()) {
            store.removeRoute(id);
        }
        ctx.out().println("removed routing rule " + id);
        return AdminExitCodes.OK;
    }
}
