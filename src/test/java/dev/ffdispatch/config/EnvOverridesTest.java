package dev.ffdispatch.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvOverridesTest {
    @Test
    void everyKeyHasAVariable() {
        assertEquals(35, EnvOverrides.variableNames().size(), EnvOverrides.variableNames().toString());
        assertTrue(EnvOverrides.variableNames().contains("FFDISPATCH_METRICS_LISTEN"));
        assertTrue(EnvOverrides.variableNames().contains("FFDISPATCH_SSH_MAX_SESSIONS_PER_HOST"));
        assertTrue(EnvOverrides.variableNames().contains("FFDISPATCH_DAEMON_SOCKET_GROUP"));
        assertTrue(EnvOverrides.variableNames().contains("FFDISPATCH_STATE_PASSWORD_FILE"));
    }

    @Test
    void listsSplitOnCommasAndMapsOnEquals() {
        YamlTree tree = YamlTree.empty();
        EnvOverrides.apply(Map.of("FFDISPATCH_ROUTING_LOCAL_TOOLS", "ffprobe, ffmpeg,",
                "FFDISPATCH_DAEMON_ALLOWED_USERS", "",
                "FFDISPATCH_JOBS_ENV", "TZ=UTC,X=a=b"), tree);
        assertEquals("[\"ffprobe\",\"ffmpeg\"]", tree.root().get("routing").get("local_tools").toString());
        assertEquals("[]", tree.root().get("daemon").get("allowed_users").toString());
        assertEquals("{\"TZ\":\"UTC\",\"X\":\"a=b\"}", tree.root().get("jobs").get("env").toString());
        assertEquals("environment variable FFDISPATCH_JOBS_ENV", tree.where("jobs.env"));
    }

    @Test
    void reservedAndForeignVariablesAreIgnored() {
        YamlTree tree = YamlTree.empty();
        EnvOverrides.apply(Map.of("FFDISPATCH_HOME", "/x", "FFDISPATCH_CONFIG", "/y", "FFDISPATCH_JAR", "/z",
                "PATH", "/bin"), tree);
        assertFalse(tree.root().fields().hasNext());
    }

    @Test
    void malformedMapEntryNamesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> EnvOverrides.apply(Map.of("FFDISPATCH_JOBS_ENV", "novalue"), YamlTree.empty()));
        assertTrue(e.getMessage().startsWith("environment variable FFDISPATCH_JOBS_ENV: key 'jobs.env' entry 'novalue'"),
                e.getMessage());
    }
}
