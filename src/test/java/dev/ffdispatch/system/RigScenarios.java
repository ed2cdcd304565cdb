package dev.ffdispatch.system;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@link SystemRig} per test class (setting it up costs seconds), scenarios in the order of
 * their {@code @Order}; each scenario leaves the workers up and idle for the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class RigScenarios {
    /** w1 counts double, so the balancer's weighting shows in the spread of jobs. */
    static final Map<String, Integer> WEIGHTS = Map.of("w1", 2);

    SystemRig rig;

    @BeforeAll
    void startRig(@TempDir Path root) throws Exception {
        rig = SystemRig.start(root, WEIGHTS);
    }

    @AfterAll
    void stopRig() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }
}
