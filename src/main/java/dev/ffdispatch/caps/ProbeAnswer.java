package dev.ffdispatch.caps;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one run of a capability probe printed and how it ended, byte-exact: what Jellyfin gets
 * when the probe is answered from a profile instead of being run.
 *
 * @param stdout the bytes the program wrote on stdout
 * @param stderr the bytes the program wrote on stderr
 * @param exitCode its exit code (128+N when killed by signal N)
 */
public record ProbeAnswer(byte[] stdout, byte[] stderr, int exitCode) {
    public ProbeAnswer {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProbeAnswer a && exitCode == a.exitCode && Arrays.equals(stdout, a.stdout)
            && Arrays.equals(stderr, a.stderr);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(stdout) + Arrays.hashCode(stderr)) + exitCode;
    }

    @Override
    public String toString() {
        return "ProbeAnswer[stdout=" + stdout.length + " bytes, stderr=" + stderr.length + " bytes, exit=" + exitCode + "]";
    }
}
