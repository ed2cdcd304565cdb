package dev.ffdispatch.cli;

import dev.ffdispatch.store.StoreException.Kind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExitCodeTest {
    @Test
    void storeFailuresMapToTheTable() {
        assertEquals(2, ExitCode.of(Kind.DUPLICATE));
        assertEquals(2, ExitCode.of(Kind.UNKNOWN));
        assertEquals(2, ExitCode.of(Kind.INVALID));
        assertEquals(3, ExitCode.of(Kind.IN_USE));
        assertEquals(1, ExitCode.of(Kind.BUSY));
        assertEquals(1, ExitCode.of(Kind.IO));
    }
}
