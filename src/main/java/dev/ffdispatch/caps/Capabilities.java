package dev.ffdispatch.caps;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one ffmpeg binary can do, read from its answers to {@code -version}, {@code -encoders},
 * {@code -decoders}, {@code -filters} and {@code -hwaccels}, and from a test of each listed
 * hardware device ({@code -init_hw_device <type>}). A device that is listed but failed its test
 * does not count, nor do the encoders, decoders and filters that run on it ({@code h264_vaapi},
 * {@code scale_cuda}, ...): compiled in is not the same as usable on this machine.
 */
public final class Capabilities {
    private static final Pattern CODEC_LINE = Pattern.compile("^ \\S{6} (\\S+) +(.*)$");
    private static final Pattern CODEC_OF = Pattern.compile("\\(codec (\\S+)\\)\\s*$");
    private static final Pattern FILTER_LINE = Pattern.compile("^ \\S{3} ([\\w-]+) +\\S+->\\S+");
    private static final Pattern VERSION_LINE = Pattern.compile("^ff\\w+ version (\\S+)");
    private static final String HWACCELS_HEADER = "Hardware acceleration methods:";
    /**
     * Name endings of encoders, decoders and filters that run on a hardware device, and that
     * device's type as {@code -hwaccels} lists it.
     */
    private static final Map<String, String> DEVICE_SUFFIXES = devices();
    /** Hardware codecs that no device test can check: listed is all we know. */
    private static final List<String> OTHER_HARDWARE = List.of("_v4l2m2m", "_omx", "_mf", "_mmal");

    private final String version;
    private final Map<String, String> encoders; // name -> codec
    private final Map<String, String> decoders;
    private final Set<String> filters;
    private final Set<String> listedHwaccels;
    private final Set<String> workingHwaccels; // null: not tested

    private Capabilities(String version, Map<String, String> encoders, Map<String, String> decoders, Set<String> filters,
                         Set<String> listedHwaccels, Set<String> workingHwaccels) {
        this.version = version;
        this.encoders = encoders;
        this.decoders = decoders;
        this.filters = filters;
        this.listedHwaccels = listedHwaccels;
        this.workingHwaccels = workingHwaccels;
    }

    /**
     * Reads a profile's answers (by {@link CapabilityProbes} key).
     *
     * @param workingHwaccels the listed devices that passed their test; null when none was tested
     * @return null when an answer is missing or is not what an ffmpeg prints (then nothing is
     *     known about the binary: a job is never kept from it)
     */
    public static Capabilities read(Map<String, ProbeAnswer> answers, Set<String> workingHwaccels) {
        Map<String, String> encoders = codecs(answers.get("-encoders"), "Encoders:");
        Map<String, String> decoders = codecs(answers.get("-decoders"), "Decoders:");
        Set<String> filters = filters(answers.get("-filters"));
        Set<String> hwaccels = hwaccels(answers.get("-hwaccels"));
        if (encoders == null || decoders == null || filters == null || hwaccels == null) {
            return null;
        }
        return new Capabilities(version(answers.get("-version")), encoders, decoders, filters, hwaccels,
            workingHwaccels == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(workingHwaccels)));
    }

    /** What of {@code needs} this binary does not have, as {@link Needs#describe()} words; empty when it has all. */
    public List<String> missing(Needs needs) {
        List<String> missing = new ArrayList<>();
        needs.encoders().stream().filter(e -> !hasCodec(encoders, e)).forEach(e -> missing.add("encoder " + e));
        needs.decoders().stream().filter(d -> !hasCodec(decoders, d)).forEach(d -> missing.add("decoder " + d));
        needs.hwaccels().stream().filter(h -> !hasDevice(h)).forEach(h -> missing.add("hwaccel " + h));
        needs.filters().stream().filter(f -> !filters.contains(f) || !usable(f)).forEach(f -> missing.add("filter " + f));
        return missing;
    }

    /** The version {@code -version} names ({@code 5.1.6-0+deb12u1}), or null. */
    public String version() {
        return version;
    }

    /** Hardware device types that count: listed, and working where tested. */
    public List<String> hwaccels() {
        return listedHwaccels.stream().filter(this::hasDevice).toList();
    }

    /** Listed device types that failed their test. */
    public List<String> brokenHwaccels() {
        return listedHwaccels.stream().filter(h -> !hasDevice(h)).toList();
    }

    /** Encoders that run on hardware and count (their device works, or cannot be tested). */
    public List<String> hardwareEncoders() {
        return encoders.keySet().stream().filter(e -> (device(e) != null || otherHardware(e)) && usable(e)).toList();
    }

    private boolean hasCodec(Map<String, String> codecs, String name) {
        String codec = codecs.get(name);
        if (codec != null) {
            return usable(name);
        }
        // A codec name (-c:v h264) is served by any encoder of that codec, as ffmpeg picks one.
        return codecs.entrySet().stream().anyMatch(e -> e.getValue().equals(name) && usable(e.getKey()));
    }

    private boolean hasDevice(String type) {
        return listedHwaccels.contains(type) && (workingHwaccels == null || workingHwaccels.contains(type));
    }

    /** False for a codec or filter on a listed device that failed its test. */
    private boolean usable(String name) {
        String device = device(name);
        return device == null || !listedHwaccels.contains(device) || hasDevice(device);
    }

    private static String device(String name) {
        if (name.equals("libplacebo")) {
            return "vulkan";
        }
        for (Map.Entry<String, String> e : DEVICE_SUFFIXES.entrySet()) {
            if (name.endsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static boolean otherHardware(String name) {
        return OTHER_HARDWARE.stream().anyMatch(name::endsWith);
    }

    private static Map<String, String> devices() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("_nvenc", "cuda");
        m.put("_cuvid", "cuda");
        m.put("_cuda", "cuda");
        m.put("_npp", "cuda");
        m.put("_qsv", "qsv");
        m.put("_vaapi", "vaapi");
        m.put("_videotoolbox", "videotoolbox");
        m.put("_vt", "videotoolbox");
        m.put("_vulkan", "vulkan");
        m.put("_opencl", "opencl");
        m.put("_vdpau", "vdpau");
        m.put("_rkmpp", "rkmpp");
        m.put("_rkrga", "rkmpp");
        m.put("_amf", "amf");
        m.put("_mediacodec", "mediacodec");
        return Collections.unmodifiableMap(m);
    }

    private static boolean ok(ProbeAnswer answer) {
        return answer != null && answer.exitCode() == 0;
    }

    private static List<String> lines(ProbeAnswer answer) {
        return new String(answer.stdout(), StandardCharsets.UTF_8).lines().toList();
    }

    /** name -> codec from an {@code -encoders}/{@code -decoders} listing; null when it is not one. */
    static Map<String, String> codecs(ProbeAnswer answer, String header) {
        if (!ok(answer)) {
            return null;
        }
        List<String> lines = lines(answer);
        int start = lines.indexOf(" ------");
        if (lines.isEmpty() || !lines.get(0).equals(header) || start < 0) {
            return null;
        }
        Map<String, String> codecs = new LinkedHashMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            Matcher m = CODEC_LINE.matcher(line);
            if (m.matches()) {
                Matcher of = CODEC_OF.matcher(m.group(2));
                codecs.put(m.group(1), of.find() ? of.group(1) : m.group(1));
            }
        }
        return Collections.unmodifiableMap(codecs);
    }

    static Set<String> filters(ProbeAnswer answer) {
        if (!ok(answer)) {
            return null;
        }
        List<String> lines = lines(answer);
        if (lines.isEmpty() || !lines.get(0).equals("Filters:")) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher m = FILTER_LINE.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return Collections.unmodifiableSet(names);
    }

    static Set<String> hwaccels(ProbeAnswer answer) {
        if (!ok(answer)) {
            return null;
        }
        List<String> lines = lines(answer);
        int header = lines.indexOf(HWACCELS_HEADER);
        if (header < 0) {
            return null;
        }
        Set<String> types = new LinkedHashSet<>();
        lines.subList(header + 1, lines.size()).stream().map(String::strip).filter(l -> !l.isEmpty()).forEach(types::add);
        return Collections.unmodifiableSet(types);
    }

    private static String version(ProbeAnswer answer) {
        if (answer == null) {
            return null;
        }
        Matcher m = VERSION_LINE.matcher(new String(answer.stdout(), StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : null;
    }
}
