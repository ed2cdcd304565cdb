package dev.ffdispatch.cli;

import dev.ffdispatch.store.StoreException.Kind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AdminExitCodesTest {
    @Test
    void storeFailuresMapToTheTable() {
        assertEquals(2, AdminExitCodes.of(Kind.DUPLICATE));
        assertEquals(2, AdminExitCodes.of(Kind.UNKNOWN));
        assertEquals(2, AdminExitCodes.of(Kind.INVALID));
        assertEquals(3, AdminExitCodes.of(Kind.IN_USE));
        assertEquals(1, AdminExitCodes.of(Kind.BUSY));
        assertEquals(1, AdminExitCodes.of(Kind.IO));
    }
}
