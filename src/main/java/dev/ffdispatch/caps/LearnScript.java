package dev.ffdispatch.caps;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Learns a profile in one run of POSIX {@code sh} (one SSH exec per binary, whatever the login
 * shell costs): runs each of {@link CapabilityProbes#LEARNED}, then, for ffmpeg, tests every
 * hardware device {@code -hwaccels} lists with {@code -init_hw_device <type>} on a one-frame null
 * source (each test killed after {@value #DEVICE_TEST_SECONDS} s, so a hung driver cannot stall
 * learning). Each probe's stdout and stderr are framed by marker lines carrying a random token,
 * so whatever the login shell prints first (a MOTD, pyenv) is left out and the bytes between the
 * markers are exactly the program's.
 *
 * <p>Arguments: {@code <token> <program> hw|- <probe>...}. The script is one line without single
 * quotes or backslash pairs, as {@code ssh.WorkerCommands} requires of anything sent through a
 * login shell.
 */
public final class LearnScript {
    /** A hardware device test that has not ended after this long is killed and counts as failed. */
    public static final int DEVICE_TEST_SECONDS = 10;

    public static final String SCRIPT = String.join(" ",
        "set -f; t=$1; f=$2; h=$3; shift 3;",
        "for a in \"$@\"; do printf \"%s\\n\" \"$t begin $a\"; printf \"%s\\n\" \"$t begin $a\" >&2;",
        "\"$f\" \"$a\" </dev/null; r=$?; printf \"\\n%s\\n\" \"$t end $r\"; printf \"\\n%s\\n\" \"$t end $r\" >&2; done;",
        "if [ \"$h\" = hw ]; then for d in $(\"$f\" -hide_banner -hwaccels </dev/null 2>/dev/null); do",
        "case $d in Hardware|acceleration|methods:) continue;; esac;",
        "\"$f\" -hide_banner -v quiet -init_hw_device \"$d\" -f lavfi -i nullsrc=s=16x16:d=0.04 -frames:v 1 -f null -"
            + " </dev/null >/dev/null 2>&1 & p=$!;",
        "(sleep " + DEVICE_TEST_SECONDS + "; kill -9 $p) >/dev/null 2>&1 & w=$!; wait $p; r=$?; kill $w 2>/dev/null;",
        "printf \"%s\\n\" \"$t hw $d $r\"; done; fi; printf \"%s\\n\" \"$t done\"");

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]{16,64}");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_]{1,32}");

    private LearnScript() {
    }

    /** The script's arguments: {@code token}, {@code program}, whether to test devices, the probes. */
    public static List<String> args(String token, String program, boolean testDevices) {
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("learn token (" + token + ") must be 16-64 letters or digits");
        }
        List<String> args = new ArrayList<>(List.of(token, program, testDevices ? "hw" : "-"));
        args.addAll(CapabilityProbes.LEARNED);
        return args;
    }

    /**
     * What one run learned.
     *
     * @param answers by probe key, each byte-exact
     * @param workingHwaccels listed devices whose test ended with 0; null when devices were not tested
     */
    public record Learned(Map<String, ProbeAnswer> answers, Set<String> workingHwaccels) {
    }

    /**
     * Reads the script's output.
     *
     * @throws IllegalArgumentException naming what is missing when the run did not finish (the
     *     program hung and the run was cut, a probe's markers are absent)
     */
    public static Learned parse(String token, byte[] stdout, byte[] stderr, boolean testedDevices) {
        Map<String, ProbeAnswer> answers = new LinkedHashMap<>();
        int outAt = 0;
        int errAt = 0;
        for (String probe : CapabilityProbes.LEARNED) {
            Section out = section(stdout, outAt, token, probe, "stdout");
            Section err = section(stderr, errAt, token, probe, "stderr");
            if (out.exitCode != err.exitCode) {
                throw new IllegalArgumentException("the learn run's " + probe + " ended with " + out.exitCode + " on stdout but "
                    + err.exitCode + " on stderr");
            }
            answers.put(probe, new ProbeAnswer(out.bytes, err.bytes, out.exitCode));
            outAt = out.next;
            errAt = err.next;
        }
        String rest = new String(stdout, outAt, stdout.length - outAt, StandardCharsets.UTF_8);
        Set<String> working = testedDevices ? new LinkedHashSet<>() : null;
        boolean done = false;
        for (String line : rest.split("\n")) {
            String[] words = line.split(" ");
            if (words.length == 4 && words[0].equals(token) && words[1].equals("hw") && DEVICE.matcher(words[2]).matches()) {
                if (working != null && words[3].equals("0")) {
                    working.add(words[2]);
                }
            } else if (line.equals(token + " done")) {
                done = true;
            }
        }
        if (!done) {
            throw new IllegalArgumentException("the learn run stopped before its end (the device tests did not finish)");
        }
        return new Learned(answers, working);
    }

    private record Section(byte[] bytes, int exitCode, int next) {
    }

    private static Section section(byte[] stream, int from, String token, String probe, String name) {
        byte[] begin = (token + " begin " + probe + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] end = ("\n" + token + " end ").getBytes(StandardCharsets.US_ASCII);
        int b = indexOf(stream, begin, from);
        int e = b < 0 ? -1 : indexOf(stream, end, b + begin.length);
        int nl = e < 0 ? -1 : indexOf(stream, new byte[] {'\n'}, e + end.length);
        if (nl < 0) {
            throw new IllegalArgumentException("the learn run's " + name + " has no complete section for " + probe);
        }
        String code = new String(stream, e + end.length, nl - e - end.length, StandardCharsets.US_ASCII);
        if (!code.matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException("the learn run's " + probe + " ended with \"" + code + "\", not an exit code");
        }
        return new Section(Arrays.copyOfRange(stream, b + begin.length, e), Integer.parseInt(code), nl + 1);
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
