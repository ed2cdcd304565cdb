package dev.ffdispatch.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SshArgsTest {
    @Test
    void keyAndPortMapTheRestIsReported() {
        SshArgs a = SshArgs.parse(List.of("-i", "/k1", "-o", "Port=2200", "-i", "/k2", "-q", "-o", "BatchMode=yes"));
        assertEquals("/k1", a.identity());
        assertEquals(2200, a.port());
        assertEquals(3, a.unmapped().size(), a.unmapped().toString());
        assertTrue(a.unmapped().get(0).contains("-i /k2"));
        assertTrue(a.unmapped().get(1).contains("-q"));
        assertTrue(a.unmapped().get(2).contains("BatchMode=yes"));
    }

    @Test
    void noArgsMeanPort22AndNoKey() {
        SshArgs a = SshArgs.parse(List.of());
        assertNull(a.identity());
        assertEquals(22, a.port());
        assertTrue(a.unmapped().isEmpty());
    }
}
