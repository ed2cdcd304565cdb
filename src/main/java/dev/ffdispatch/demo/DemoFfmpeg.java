package dev.ffdispatch.demo;

import dev.ffdispatch.posix.LocalPrograms;
import dev.ffdispatch.posix.ProgramPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        // The same search the shim's and the daemon's local runs use: never ffdispatch's own shim.
        String system = LocalPrograms.find(ProgramPaths.FFMPEG, System.getenv(), "", LocalPrograms.JELLYFIN_FFMPEG_DIR);
        if (system != null) {
            Path dir = Path.of(system).toRealPath().getParent();
            if (Files.isExecutable(dir.resolve("ffprobe"))) {
                return dir;
            }
        }
        Path jar = Path.of(System.getProperty("user.home"), ".m2", "repository", JAR);
        if (!Files.exists(jar)) {
            fetch();
        }
        return unpack(jar, unpackInto);
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
