package dev.ffdispatch.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table with a title and a line saying what was measured and how often. */
final class Table {
    private final String title;
    private final String how;
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Table(String title, String how, String... headers) {
        this.title = title;
        this.how = how;
        this.headers = List.of(headers);
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table '" + title + "' has "
                + headers.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(format(cell));
        }
        rows.add(row);
        return this;
    }

    Table note(String note) {
        notes.add(note);
        return this;
    }

    /** A row that could not be measured: a dash in each figure's cell, and why as a note. */
    Table missing(String label, String why) {
        Object[] cells = new Object[headers.size()];
        java.util.Arrays.fill(cells, "-");
        cells[0] = label;
        row(cells);
        return note(label + ": not measured: " + why);
    }

    void print(PrintStream out) {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = headers.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        out.println("== " + title);
        out.println("   " + how);
        out.println(line(headers, width));
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("  ");
        }
        out.println(rule.toString().stripTrailing());
        rows.forEach(r -> out.println(line(r, width)));
        notes.forEach(n -> out.println("   " + n));
        out.println();
        out.flush();
    }

    /** First column left-aligned (labels), the others right-aligned (numbers). */
    private static String line(List<String> cells, int[] width) {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            s.append(c == 0 ? cell + pad : pad + cell).append("  ");
        }
        return s.toString().stripTrailing();
    }

    static String format(Object cell) {
        if (cell instanceof Double d) {
            double a = Math.abs(d);
            return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", d);
        }
        return String.valueOf(cell);
    }

    /** "x1.23": a ratio to the baseline row. */
    static String ratio(double value, double baseline) {
        return String.format(Locale.ROOT, "x%.2f", value / baseline);
    }
}
