package dev.ffdispatch.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostChangesTest {
    @Test
    void emptyAndClearValuesAreAccepted() {
        assertTrue(new HostChanges(null, null, null, null, null, null, null, null, null).isEmpty());
        assertDoesNotThrow(() -> new HostChanges(null, null, "", null, 0, "", "", null, null));
        assertFalse(HostChanges.weight(3).isEmpty());
    }

    @Test
    void setValuesAreValidatedLikeNewHosts() {
        assertThrows(StoreException.class, () -> HostChanges.weight(0));
        assertThrows(StoreException.class, () -> HostChanges.weight(1001));
        assertThrows(StoreException.class, () -> new HostChanges("a:1", null, null, null, null, null, null, null, null));
        assertThrows(StoreException.class, () -> new HostChanges(null, null, null, null, -2, null, null, null, null));
    }
}
