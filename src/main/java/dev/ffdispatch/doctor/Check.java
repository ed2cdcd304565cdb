package dev.ffdispatch.doctor;

/**
 * One finding of {@code ffdispatch doctor}.
 *
 * @param name what was checked, e.g. {@code host w1: ffmpeg}
 * @param status ok, warn or fail
 * @param detail what was found
 * @param fix what to do about it; null when nothing is to be done
 */
public record Check(String name, Status status, String detail, String fix) {
    /** How bad a finding is: a FAIL breaks transcodes, a WARN slows or risks them. */
    public enum Status { OK, WARN, FAIL }

    public static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, null);
    }

    public static Check warn(String name, String detail, String fix) {
        return new Check(name, Status.WARN, detail, fix);
    }

    public static Check fail(String name, String detail, String fix) {
        return new Check(name, Status.FAIL, detail, fix);
    }
}
