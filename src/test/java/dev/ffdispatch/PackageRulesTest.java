package dev.ffdispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs and STYLE, read from the sources: which package may use which. A
 * use is an import or a fully qualified name in code; comments and strings do not count.
 */
class PackageRulesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/ffdispatch");
    private static final Pattern USE = Pattern.compile("\\b(dev\\.ffdispatch\\.([a-z]+)|(?:java|javax|jdk|com|org|ch|io|picocli|sun)\\.[a-z][\\w.]*)");
    /** Package to the packages it uses: project ones by their short name, others in full. */
    private static Map<String, Set<String>> uses;

    @BeforeAll
    static void read() throws IOException {
        uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file).getName(0).toString();
                Set<String> used = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = USE.matcher(code(Files.readString(file)));
                while (m.find()) {
                    String name = m.group(2) != null ? m.group(2) : packageOf(m.group(1));
                    if (!name.equals(pkg)) {
                        used.add(name);
                    }
                }
            }
        }
    }

    @Test
    void theShimUsesOnlyJavaBaseProtocolAndPosix() {
        assertOnlyJavaBaseAnd("shim", Set.of("protocol", "posix"));
    }

    @Test
    void protocolAndPosixUseOnlyJavaBase() {
        assertOnlyJavaBaseAnd("protocol", Set.of());
        assertOnlyJavaBaseAnd("posix", Set.of());
    }

    @Test
    void theDaemonDoesNotUseTheShimAndExecutorsAndSshDoNotUseTheWireFormat() {
        assertTrue(!uses.get("daemon").contains("shim"), "daemon uses " + uses.get("daemon"));
        assertTrue(!uses.get("exec").contains("protocol"), "exec uses " + uses.get("exec"));
        assertTrue(!uses.get("ssh").contains("protocol"), "ssh uses " + uses.get("ssh"));
        assertTrue(!uses.get("cli").contains("protocol"), "the status exchange is the daemon's API: cli uses " + uses.get("cli"));
    }

    @Test
    void packagesFormNoCycle() {
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            for (String next : project(start)) {
                if (reaches(next, start, new TreeSet<>())) {
                    cycles.add(start + " -> " + next + " -> ... -> " + start);
                }
            }
        }
        assertEquals(List.of(), cycles);
    }

    private static void assertOnlyJavaBaseAnd(String pkg, Set<String> project) {
        Set<String> javaBase = ModuleLayer.boot().findModule("java.base").orElseThrow().getPackages();
        Set<String> extra = new TreeSet<>(uses.get(pkg));
        extra.removeAll(project);
        extra.removeAll(javaBase);
        assertEquals(Set.of(), extra, pkg + " uses more than java.base and " + project);
    }

    private static boolean reaches(String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        return project(from).stream().anyMatch(next -> reaches(next, target, seen));
    }

    private static Set<String> project(String pkg) {
        Set<String> out = new TreeSet<>(uses.getOrDefault(pkg, Set.of()));
        out.removeIf(name -> name.contains("."));
        return out;
    }

    /** {@code java.util.concurrent.TimeUnit.SECONDS} is in {@code java.util.concurrent}: the segments before a capital. */
    private static String packageOf(String name) {
        StringBuilder pkg = new StringBuilder();
        for (String part : name.split("\\.")) {
            if (part.isEmpty() || Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.append(pkg.length() == 0 ? "" : ".").append(part);
        }
        return pkg.toString();
    }

    /** The source without comments and string, text-block or character literals. */
    private static String code(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i) < 0 ? source.length() : source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                i = source.indexOf("*/", i + 2) + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                i = source.indexOf("\"\"\"", i + 3) + 3;
                out.append("\"\"");
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i++);
                while (source.charAt(i) != quote) {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append(quote).append(quote);
            } else {
                out.append(source.charAt(i++));
            }
        }
        return out.toString();
    }
}
