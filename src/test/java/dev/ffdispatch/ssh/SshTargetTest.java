package dev.ffdispatch.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SshTargetTest {
    @Test
    void anIpv6AddressGetsBracketsSoThePortStaysApart() {
        assertEquals("[2001:db8::21]:22", new SshTarget("w", "2001:db8::21", 22, "ff").hostPort());
        assertEquals("ff@[::1]:2222", new SshTarget("w", "::1", 2222, "ff").login());
    }

    @Test
    void namesAndIpv4StayPlain() {
        assertEquals("worker1.lan:22", SshTarget.hostPort("worker1.lan", 22));
        assertEquals("ff@192.0.2.1:22", new SshTarget("w", "192.0.2.1", 22, "ff").login());
    }
}
