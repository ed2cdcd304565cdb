package dev.ffdispatch.caps;

import java.util.ArrayList;
import java.util.List;

/**
 * The filter names in a filter graph description ({@code -vf}, {@code -af}, {@code -filter_complex}),
 * read the way libavfilter's graph parser reads it: chains separated by {@code ;}, filters by
 * {@code ,}, each filter {@code [in]...name[@id][=args][out]...}; link labels, names and arguments
 * taken by {@code av_get_token} (backslash escapes the next character, text between single quotes
 * is literal, surrounding white space dropped). So {@code scale=w=iw\,h=ih}, quoted arguments
 * holding {@code ,} or {@code ;}, and labels are never mistaken for filters.
 */
public final class FilterGraph {
    private static final String WHITESPACE = " \n\t\r";

    private final String text;
    private int at;

    private FilterGraph(String text) {
        this.text = text;
    }

    /**
     * The names of the filters in {@code graph}, in order, each once per use, without an
     * {@code @instance} suffix. Parsing stops where the description stops making sense (ffmpeg
     * would refuse the job there); what was read before counts.
     */
    public static List<String> filterNames(String graph) {
        return new FilterGraph(graph).names();
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (!labels()) {
                return names;
            }
            String name = token("=,;[");
            if (name.isEmpty()) {
                return names;
            }
            int instance = name.indexOf('@');
            names.add(instance < 0 ? name : name.substring(0, instance));
            if (peek() == '=') {
                at++;
                token("[],;");
            }
            skipWhitespace();
            if (!labels()) {
                return names;
            }
            skipWhitespace();
            char next = peek();
            if (next != ',' && next != ';') {
                return names;
            }
            at++;
        }
    }

    /** Skips {@code [label]...}; false when a label is empty or not closed. */
    private boolean labels() {
        while (peek() == '[') {
            at++;
            String label = token("]");
            if (label.isEmpty() || peek() != ']') {
                return false;
            }
            at++;
            skipWhitespace();
        }
        return true;
    }

    /** libavutil's {@code av_get_token}: up to an unquoted, unescaped character of {@code terminators}. */
    private String token(String terminators) {
        skipWhitespace();
        StringBuilder out = new StringBuilder();
        int keep = 0; // characters that trailing white space trimming must not remove
        while (at < text.length() && terminators.indexOf(text.charAt(at)) < 0) {
            char c = text.charAt(at++);
            if (c == '\\' && at < text.length()) {
                out.append(text.charAt(at++));
                keep = out.length();
            } else if (c == '\'') {
                while (at < text.length() && text.charAt(at) != '\'') {
                    out.append(text.charAt(at++));
                }
                if (at < text.length()) {
                    at++;
                    keep = out.length();
                }
            } else {
                out.append(c);
            }
        }
        int end = out.length();
        while (end > keep && WHITESPACE.indexOf(out.charAt(end - 1)) >= 0) {
            end--;
        }
        return out.substring(0, end);
    }

    private void skipWhitespace() {
        while (at < text.length() && WHITESPACE.indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }
}
