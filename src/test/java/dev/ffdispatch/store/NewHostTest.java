package dev.ffdispatch.store;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NewHostTest {
    @Test
    void nameDefaultsToTheAddress() {
        NewHost h = NewHost.of("worker1.lan");
        assertEquals("worker1.lan", h.name());
        assertEquals(22, h.port());
        assertEquals(1, h.weight());
        assertNull(h.user());
        assertEquals(List.of(), h.mappings());
    }

    @Test
    void everyFieldIsValidated() {
        assertThrows(StoreException.class, () -> new NewHost("w", "w", 22, null, 0, null, null, null, List.of(), null));
        assertThrows(StoreException.class, () -> new NewHost("bad name", "w", 22, null, 1, null, null, null, List.of(), null));
        assertThrows(StoreException.class, () -> new NewHost("w", "w", 0, null, 1, null, null, null, List.of(), null));
    }
}
