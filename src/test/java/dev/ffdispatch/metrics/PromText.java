package dev.ffdispatch.metrics;

/** Reads one sample out of Prometheus text exposition, for assertions. */
public final class PromText {
    private PromText() {
    }

    /**
     * The value of the first sample named {@code name} whose labels contain every one of
     * {@code labels} (each written {@code key="value"}); NaN when there is none.
     */
    /** The sum over every series of {@code name} that has all the labels (e.g. all heap pools). */
    public static double sum(String text, String name, String... labels) {
        double total = 0;
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
                total += Double.parseDouble(line.substring(space + 1));
            }
        }
        return total;
    }

    public static double value(String text, String name, String... labels) {
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
                return Double.parseDouble(line.substring(space + 1));
            }
        }
        return Double.NaN;
    }
}
