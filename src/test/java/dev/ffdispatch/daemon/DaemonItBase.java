package dev.ffdispatch.daemon;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the daemon's integration tests share: a home directory of their own and the harness a
 * test makes there ({@code harness = new DaemonHarness(home, env)}), closed after each test with
 * its daemon and workers.
 */
abstract class DaemonItBase {
    @TempDir
    Path home;
    DaemonHarness harness;

    @AfterEach
    void closeHarness() {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }
}
