package dev.ffdispatch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ffdispatch.doctor.Check;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Checks as {@code doctor} and {@code worker-setup} print them: one line each plus a fix line, or JSON. */
final class CheckPrinter {
    private CheckPrinter() {
    }

    static boolean ok(List<Check> checks) {
        return checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL);
    }

    /** Adds {@code ok} and {@code checks: [{check, status, detail, fix}]} to {@code root}. */
    static ObjectNode json(ObjectNode root, List<Check> checks) {
        root.put("ok", ok(checks));
        ArrayNode array = root.putArray("checks");
        for (Check c : checks) {
            array.addObject().put("check", c.name()).put("status", c.status().name().toLowerCase(Locale.ROOT))
                .put("detail", c.detail()).put("fix", c.fix());
        }
        return root;
    }

    static void text(PrintWriter out, List<Check> checks) {
        for (Check c : checks) {
            String tag = switch (c.status()) {
                case OK -> "[ok]  ";
                case WARN -> "[warn]";
                case FAIL -> "[FAIL]";
            };
            out.println(tag + " " + c.name() + ": " + c.detail());
            if (c.fix() != null) {
                out.println("       fix: " + c.fix());
            }
        }
    }
}
