package dev.ffdispatch.metrics;

import java.util.ArrayList;
import java.util.List;

/** Reads samples out of Prometheus text exposition, for assertions. */
public final class PromText {
    private PromText() {
    }

    /**
     * The value of the first sample named {@code name} whose labels contain every one of
     * {@code labels} (each written {@code key="value"}); NaN when there is none.
     */
    public static double value(String text, String name, String... labels) {
        List<Double> values = values(text, name, labels);
        return values.isEmpty() ? Double.NaN : values.get(0);
    }

    /** The sum over every series of {@code name} that has all the labels (e.g. all heap pools). */
    public static double sum(String text, String name, String... labels) {
        return values(text, name, labels).stream().mapToDouble(Double::doubleValue).sum();
    }

    private static List<Double> values(String text, String name, String... labels) {
        List<Double> values = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            boolean all = true;
            for (String label : labels) {
                all &= series.contains(label);
            }
            if (all) {
                values.add(Double.parseDouble(line.substring(space + 1)));
            }
        }
        return values;
    }
}
