package dev.ffdispatch.doctor;

/** Long remote output kept to one readable line. */
final class TextCut {
    private TextCut() {
    }

    static String cut(String text, int max) {
        String line = text.replace('\n', ' ');
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }
}
