package dev.ffdispatch.caps;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a job's arguments ask of the ffmpeg that runs it: encoders, decoders, hardware device
 * types and filters named on its command line. Derived by reading the arguments as ffmpeg's own
 * option parser groups them ({@link #of}); the arguments themselves are never changed.
 *
 * @param encoders codec options ({@code -c}, {@code -codec}, {@code -vcodec}, {@code -acodec},
 *     {@code -scodec}, {@code -dcodec}, with any stream specifier) of an output; {@code copy} is no encoder
 * @param decoders the same options given for an input (before its {@code -i})
 * @param hwaccels device types: {@code -hwaccel} (not {@code auto} or {@code none}),
 *     {@code -init_hw_device} (its type), {@code -vaapi_device}, {@code -qsv_device};
 *     {@code -filter_hw_device} names a device {@code -init_hw_device} made, whose type is counted there
 * @param filters filters in {@code -vf}, {@code -af}, {@code -filter[:spec]}, {@code -filter_complex},
 *     {@code -lavfi}, and in the graph of a {@code -f lavfi} input; {@code -filter_script} and
 *     {@code -filter_complex_script} name files, which are not read
 */
public record Needs(Set<String> encoders, Set<String> decoders, Set<String> hwaccels, Set<String> filters) {
    public static final Needs NONE = new Needs(Set.of(), Set.of(), Set.of(), Set.of());

    /**
     * Options of ffmpeg (4.4 to 7.1) that take no value; every other option, including the
     * AVOptions of codecs and formats, takes the next argument. Boolean ones also exist as
     * {@code -no<name>}.
     */
    private static final Set<String> NO_VALUE = Set.of(
        // cmdutils' common options
        "L", "version", "buildconf", "formats", "muxers", "demuxers", "devices", "codecs", "decoders", "encoders",
        "bsfs", "protocols", "filters", "pix_fmts", "layouts", "sample_fmts", "dispositions", "colors", "hide_banner",
        "report", "hwaccels",
        // ffmpeg's booleans
        "y", "n", "ignore_unknown", "copy_unknown", "recast_media", "accurate_seek", "benchmark", "benchmark_all",
        "stdin", "dump", "hex", "re", "copyts", "start_at_zero", "shortest", "bitexact", "xerror", "copyinkf",
        "auto_conversion_filters", "stats", "debug_ts", "find_stream_info", "vn", "an", "sn", "dn", "psnr", "vstats",
        "qphist", "force_fps", "fix_sub_duration", "fix_sub_duration_heartbeat", "display_hflip", "display_vflip",
        "print_graphs", "intra");
    /** Booleans that take a value ({@code -autorotate 0}) but also exist as {@code -no<name>} without one. */
    private static final Set<String> VALUED_BOOLEANS = Set.of("autorotate", "autoscale");
    private static final Set<String> CODEC_OPTIONS = Set.of("c", "codec", "vcodec", "acodec", "scodec", "dcodec");
    private static final Set<String> FILTER_OPTIONS = Set.of("vf", "af", "filter", "filter_complex", "lavfi");

    public Needs {
        encoders = Collections.unmodifiableSet(new LinkedHashSet<>(encoders));
        decoders = Collections.unmodifiableSet(new LinkedHashSet<>(decoders));
        hwaccels = Collections.unmodifiableSet(new LinkedHashSet<>(hwaccels));
        filters = Collections.unmodifiableSet(new LinkedHashSet<>(filters));
    }

    public boolean isEmpty() {
        return encoders.isEmpty() && decoders.isEmpty() && hwaccels.isEmpty() && filters.isEmpty();
    }

    /** Each need as {@code encoder libx264}, {@code filter scale_cuda}, ...: for messages. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        encoders.forEach(e -> out.add("encoder " + e));
        decoders.forEach(d -> out.add("decoder " + d));
        hwaccels.forEach(h -> out.add("hwaccel " + h));
        filters.forEach(f -> out.add("filter " + f));
        return out;
    }

    /**
     * What an ffmpeg command line needs. Options apply to the next file, as ffmpeg groups them:
     * the input after {@code -i}, or the output a plain argument (or {@code -}) names.
     */
    public static Needs of(List<byte[]> args) {
        Set<String> encoders = new LinkedHashSet<>();
        Set<String> decoders = new LinkedHashSet<>();
        Set<String> hwaccels = new LinkedHashSet<>();
        Set<String> filters = new LinkedHashSet<>();
        List<String> codecs = new ArrayList<>(); // given for the next file
        String format = null;
        boolean dashDash = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = new String(args.get(i), StandardCharsets.UTF_8);
            if (!dashDash && arg.equals("--")) {
                dashDash = true;
                continue;
            }
            if (dashDash || arg.length() < 2 || arg.charAt(0) != '-') { // an output
                codecs.stream().filter(c -> !c.equals("copy")).forEach(encoders::add);
                codecs.clear();
                format = null;
                continue;
            }
            String name = arg.substring(1);
            int colon = name.indexOf(':');
            String base = colon < 0 ? name : name.substring(0, colon);
            if (NO_VALUE.contains(base) || base.startsWith("no")
                && (NO_VALUE.contains(base.substring(2)) || VALUED_BOOLEANS.contains(base.substring(2)))) {
                continue;
            }
            if (i + 1 >= args.size()) {
                break;
            }
            String value = new String(args.get(++i), StandardCharsets.UTF_8);
            if (base.equals("i")) {
                codecs.stream().filter(c -> !c.equals("copy")).forEach(decoders::add);
                if ("lavfi".equals(format)) {
                    filters.addAll(FilterGraph.filterNames(value));
                }
                codecs.clear();
                format = null;
            } else if (CODEC_OPTIONS.contains(base)) {
                codecs.add(value);
            } else if (FILTER_OPTIONS.contains(base)) {
                filters.addAll(FilterGraph.filterNames(value));
            } else if (base.equals("f")) {
                format = value;
            } else if (base.equals("hwaccel")) {
                if (!value.equals("auto") && !value.equals("none") && !value.isEmpty()) {
                    hwaccels.add(value);
                }
            } else if (base.equals("init_hw_device")) {
                String type = deviceType(value);
                if (!type.isEmpty() && !type.equals("list")) {
                    hwaccels.add(type);
                }
            } else if (base.equals("vaapi_device")) {
                hwaccels.add("vaapi");
            } else if (base.equals("qsv_device")) {
                hwaccels.add("qsv");
            }
        }
        return new Needs(encoders, decoders, hwaccels, filters);
    }

    /** The type in {@code type[=name][:device[,key=value...]][@source]}. */
    private static String deviceType(String spec) {
        int end = spec.length();
        for (char c : new char[] {'=', ':', '@'}) {
            int at = spec.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return spec.substring(0, end);
    }
}
