package dev.ffdispatch.ssh;

import java.util.Map;

/** SSH names signals (RFC 4254 6.10); exit codes need Linux's numbers. */
final class SignalNumbers {
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
        Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
        Map.entry("ABRT", 6), Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10),
        Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
        Map.entry("TERM", 15));

    private SignalNumbers() {
    }

    /** Linux number of an SSH signal name (with or without "SIG"); unknown names count as TERM. */
    static int of(String name) {
        String bare = name.startsWith("SIG") ? name.substring(3) : name;
        return NUMBERS.getOrDefault(bare, 15);
    }
}
