package dev.ffdispatch.demo;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds a real ffmpeg for the demo: the system's (Debian's package), else the static build that
 * Maven Central ships inside {@code org.bytedeco:ffmpeg:linux-x86_64} (its binaries carry
 * RUNPATH $ORIGIN, so they run from the folder they are unpacked into, without root).
 */
final class DemoFfmpeg {
    static final String BYTEDECO = "org.bytedeco:ffmpeg:7.1-1.5.11:jar:linux-x86_64";
    private static final String JAR = "org/bytedeco/ffmpeg/7.1-1.5.11/ffmpeg-7.1-1.5.11-linux-x86_64.jar";
    private static final String ENTRY_DIR = "org/bytedeco/ffmpeg/linux-x86_64/";

    private DemoFfmpeg() {
    }

    /** The directory holding {@code ffmpeg} and {@code ffprobe}. */
    static Path locate(Path unpackInto) throws IOException, InterruptedException {
        Optional<Path> system = onPath("ffmpeg");
        if (system.isPresent() && onPath("ffprobe").isPresent()) {
            return system.get().getParent();
        }
        Path jar = Path.of(System.getProperty("user.home"), ".m2", "repository", JAR);
        if (!Files.exists(jar)) {
            fetch();
        }
        return unpack(jar, unpackInto);
    }

    private static Optional<Path> onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            try {
                if (Files.isExecutable(candidate)
                    && !candidate.toRealPath().getFileName().toString().equals("ffdispatch-shim")) {
                    return Optional.of(candidate.toRealPath());
                }
            } catch (IOException e) {
                // a dangling link on PATH: keep looking
            }
        }
        return Optional.empty();
    }

    private static void fetch() throws IOException, InterruptedException {
        System.err.println("demo: no ffmpeg on PATH; fetching " + BYTEDECO + " from Maven Central ...");
        Process mvn = new ProcessBuilder("mvn", "-B", "-q", "dependency:get", "-Dartifact=" + BYTEDECO)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (mvn.waitFor() != 0) {
            throw new IOException("could not fetch " + BYTEDECO + " with Maven; install ffmpeg instead: apt-get install ffmpeg");
        }
    }

    private static Path unpack(Path jar, Path into) throws IOException {
        Files.createDirectories(into);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(ENTRY_DIR)) {
                    continue;
                }
                Path target = into.resolve(name.substring(ENTRY_DIR.length()));
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                target.toFile().setExecutable(true);
            }
        }
        return into;
    }
}
