package dev.ffdispatch.workersetup;

import dev.ffdispatch.store.PathMap;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The {@code ffdispatch host add} line that fits what the checks found. */
final class HostLine {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:@%+,-]+");

    private final SetupRequest request;
    private String ffmpeg;
    private String ffprobe;

    HostLine(SetupRequest request) {
        this.request = request;
    }

    void tools(String ffmpeg, String ffprobe) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
    }

    String text() {
        List<String> words = new ArrayList<>(List.of("ffdispatch", "host", "add", request.address(), "--name", request.name(),
            "--user", request.user(), "--port", Integer.toString(request.port())));
        if (ffmpeg != null) {
            words.addAll(List.of("--ffmpeg", ffmpeg, "--ffprobe", ffprobe));
        }
        for (PathMap map : request.maps()) {
            words.addAll(List.of("--map", map.toString()));
        }
        return String.join(" ", words.stream().map(HostLine::quoted).toList());
    }

    static String quoted(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
