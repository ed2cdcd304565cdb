package dev.ffdispatch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YamlTreeTest {
    @TempDir
    Path dir;

    @Test
    void remembersWhereEveryKeyAndListElementWas() throws IOException {
        Path file = Files.writeString(dir.resolve("c.yml"), """
                # header
                ssh:
                  identities:
                    - /a
                    - /b
                  user: x
                """);
        YamlTree tree = YamlTree.read(file);
        assertEquals(file + ":2:1", tree.where("ssh"));
        assertEquals(file + ":3:3", tree.where("ssh.identities"));
        assertEquals(file + ":5:7", tree.where("ssh.identities[1]"));
        assertEquals(file + ":6:3", tree.where("ssh.user"));
        assertEquals(file + ":2:1", tree.where("ssh.heartbeat"), "an unwritten key points at its section");
        assertNull(tree.where("poll.interval"));
        assertTrue(tree.root().get("ssh").get("identities").isArray());
    }

    @Test
    void duplicateKeysAreErrors() throws IOException {
        Path file = Files.writeString(dir.resolve("c.yml"), "poll:\n  interval: 3s\n  interval: 5s\n");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> YamlTree.read(file));
        assertEquals(file + ":3:3: key 'poll.interval' is written twice (first at " + file + ":2:3); keep one",
                e.getMessage());
    }

    @Test
    void keepsScalarTypes() throws IOException {
        Path file = Files.writeString(dir.resolve("c.yml"), "a: {i: 4, f: 1.5, b: true, s: '4', n: ~}\n");
        YamlTree tree = YamlTree.read(file);
        assertEquals("{\"i\":4,\"f\":1.5,\"b\":true,\"s\":\"4\",\"n\":null}", tree.root().get("a").toString());
    }
}
