package dev.ffdispatch.caps;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The calls that only ask what an ffmpeg (or ffprobe) is, recognized by their exact arguments:
 * Jellyfin's start-up validation ({@code -version}, {@code -encoders}, {@code -decoders},
 * {@code -filters}, {@code -hwaccels}, {@code -h filter=<name>}, {@code -h bsf=<name>}), each also
 * with a leading {@code -hide_banner}. Their output depends on the binary alone, so a profile can
 * answer them. Anything else, however close, is a job: {@code -version -x}, {@code -loglevel
 * quiet -version} or {@code -h full} are run, never answered.
 */
public final class CapabilityProbes {
    /** Learned together when a profile is learned, in this order; the rest are learned the first time they are asked. */
    public static final List<String> LEARNED = List.of("-version", "-encoders", "-decoders", "-filters", "-hwaccels");

    private static final Set<String> LISTS = Set.copyOf(LEARNED);
    private static final String HIDE_BANNER = "-hide_banner";
    /** The help topics Jellyfin asks about; a name of letters, digits and '_' as ffmpeg's filters have. */
    private static final Pattern HELP_TOPIC = Pattern.compile("(filter|bsf)=[A-Za-z0-9_]{1,64}");

    private CapabilityProbes() {
    }

    /**
     * The probe {@code args} make, as its key (the arguments joined by single spaces), or null
     * when they are not exactly a capability probe.
     */
    public static String key(List<byte[]> args) {
        List<String> words = new ArrayList<>(args.size());
        for (byte[] arg : args) {
            if (arg.length == 0 || arg.length > 80) {
                return null;
            }
            words.add(new String(arg, StandardCharsets.ISO_8859_1)); // probes are ASCII; anything else fails below
        }
        int at = !words.isEmpty() && words.get(0).equals(HIDE_BANNER) ? 1 : 0;
        List<String> rest = words.subList(at, words.size());
        boolean probe = rest.size() == 1 && LISTS.contains(rest.get(0))
            || rest.size() == 2 && rest.get(0).equals("-h") && HELP_TOPIC.matcher(rest.get(1)).matches();
        return probe ? String.join(" ", words) : null;
    }

    /** Whether {@code key} is learned with the profile (not only when first asked). */
    public static boolean learnedUpFront(String key) {
        return LISTS.contains(key);
    }

    /** The arguments of the probe {@code key}. */
    public static List<String> args(String key) {
        return List.of(key.split(" "));
    }
}
