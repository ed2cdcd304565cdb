package dev.ffdispatch.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostSetCommandTest {
    @TempDir
    Path home;

    private CliRunner.Result run(String... args) {
        return new CliRunner(home).run(args);
    }

    @BeforeEach
    void addHost() {
        assertEquals(0, run("host", "add", "w1", "--user", "ff", "--max-jobs", "2", "--map", "/a=/b").code());
    }

    @Test
    void changesOnlyWhatIsGiven() {
        CliRunner.Result r = run("host", "set", "w1", "--weight", "7");
        assertEquals(0, r.code(), r.toString());
        assertEquals("updated host 'w1' (ff@w1:22, weight 7, max_jobs 2, enabled)\n", r.out());
    }

    @Test
    void resetsOptionalValues() {
        CliRunner.Result r = run("host", "set", "w1", "--user", "", "--max-jobs", "none", "--no-maps", "--address", "w1.lan");
        assertEquals(0, r.code(), r.toString());
        String show = run("host", "show", "w1").out();
        assertTrue(show.contains("user:     ffdispatch (ssh.user)"), show);
        assertTrue(show.contains("max_jobs: none"), show);
        assertTrue(show.contains("mappings: -"), show);
        assertTrue(show.contains("address:  w1.lan"), show);
    }

    @Test
    void unknownHostListsKnownNames() {
        CliRunner.Result r = run("host", "set", "w9", "--weight", "2");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertEquals("ffdispatch: host 'w9' is not known; known hosts: w1\n", r.err());
    }

    @Test
    void nothingToChangeOrContradictionIsInvalidInput() {
        assertEquals(AdminExitCodes.INVALID_INPUT, run("host", "set", "w1").code());
        assertEquals(AdminExitCodes.INVALID_INPUT, run("host", "set", "w1", "--no-maps", "--map", "/x=/y").code());
        CliRunner.Result r = run("host", "set", "w1", "--weight", "0");
        assertEquals(AdminExitCodes.INVALID_INPUT, r.code());
        assertTrue(run("host", "show", "w1").out().contains("weight:   1"), "unchanged after refusal");
    }

    @Test
    void wakeOnLanIsValidatedStoredShownAndTurnedOff() throws Exception {
        CliRunner.Result bad = run("host", "set", "w1", "--wake-mac", "00:11:22:33:44");
        assertEquals(AdminExitCodes.INVALID_INPUT, bad.code());
        assertTrue(bad.err().contains("--wake-mac '00:11:22:33:44' is not a MAC address"), bad.err());
        assertEquals(AdminExitCodes.INVALID_INPUT, run("host", "set", "w1", "--wake-to", "10.0.0.255:9").code(),
            "--wake-to alone, with no MAC stored");

        assertEquals(0, run("host", "set", "w1", "--wake-mac", "00-11-22-AA-bb-cc").code());
        com.fasterxml.jackson.databind.JsonNode host = new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(run("host", "show", "w1", "--json").out());
        assertEquals("00:11:22:aa:bb:cc", host.get("wake_mac").asText());
        assertEquals("255.255.255.255:9", host.get("wake_to").asText());

        assertEquals(0, run("host", "set", "w1", "--wake-to", "192.168.1.255:7").code());
        assertTrue(run("host", "show", "w1").out().contains("wake:     00:11:22:aa:bb:cc via 192.168.1.255:7"));
        CliRunner.Result port = run("host", "set", "w1", "--wake-to", "192.168.1.255:70000");
        assertEquals(AdminExitCodes.INVALID_INPUT, port.code());
        assertTrue(port.err().contains("is not HOST:PORT"), port.err());

        assertEquals(AdminExitCodes.INVALID_INPUT, run("host", "set", "w1", "--no-wake", "--wake-mac", "00:11:22:33:44:55").code());
        assertEquals(0, run("host", "set", "w1", "--no-wake").code());
        host = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run("host", "list", "--json").out()).get(0);
        assertTrue(host.get("wake_mac").isNull(), host.toString());
        assertEquals(0, run("host", "add", "w2", "--wake-mac", "001122334455", "--wake-to", "[fe80::1]:9").code());
        assertTrue(run("host", "show", "w2").out().contains("wake:     00:11:22:33:44:55 via [fe80::1]:9"));
    }
}
