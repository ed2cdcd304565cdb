package dev.ffdispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README and docs/: every relative link reaches a file and a heading, and the quick start starts as people expect. */
class DocsTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.*)$", Pattern.MULTILINE);

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static Set<String> anchors(Path doc) throws IOException {
        Set<String> anchors = new HashSet<>();
        String text = Files.readString(doc).replaceAll("(?s)```.*?```", "");
        Matcher m = HEADING.matcher(text);
        while (m.find()) {
            anchors.add(anchor(m.group(1)));
        }
        return anchors;
    }

    @Test
    void everyRelativeLinkReachesAFileAndAHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(Files.readString(doc).replaceAll("(?s)```.*?```", ""));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? doc : doc.resolveSibling(file).normalize();
                if (!Files.exists(linked)) {
                    broken.add(doc + ": " + target + " (no file " + linked + ")");
                } else if (hash >= 0 && !anchors(linked).contains(target.substring(hash + 1))) {
                    broken.add(doc + ": " + target + " (no such heading in " + linked + ")");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theQuickStartBeginsWithTheDemoAndTheTests() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String quick = readme.substring(readme.indexOf("## Quick start"));
        String block = quick.substring(quick.indexOf("```\n") + 4, quick.indexOf("\n```", quick.indexOf("```\n") + 4));
        List<String> commands = block.lines().map(l -> l.replaceAll("\\s+#.*", "").strip()).toList();
        assertEquals(List.of("bin/ffdispatch demo", "bin/test"), commands.subList(0, 2), block);
    }

    @Test
    void anchorsFollowGithub() {
        assertEquals("official-jellyfinjellyfin-image", anchor("Official jellyfin/jellyfin image"));
        assertEquals("check-a-worker-ffdispatch-worker-setup", anchor("Check a worker: `ffdispatch worker-setup`"));
        assertTrue(anchor("1. A dedicated user with /bin/sh").equals("1-a-dedicated-user-with-binsh"));
    }
}
