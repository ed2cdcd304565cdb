package dev.ffdispatch.demo;

import dev.ffdispatch.posix.PosixShell;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The demo's ffmpeg on a machine without one: the statically linked build that Maven Central
 * ships in {@code ws.schild:jave-nativebin-*} (ffmpeg 4.4.1), fetched with Maven and unpacked
 * once into the user's cache directory. It needs no shared library at all; a dynamically linked
 * build from Maven Central (bytedeco's) needs libraries such as libpulse that such a machine lacks.
 *
 * <p>The static build carries its own glibc, whose iconv loads this machine's gconv modules
 * (built for another glibc) and crashes when ffmpeg reads MPEG-TS. So the program the demo runs
 * is a small {@code ffmpeg} script beside {@code bin/ffmpeg} that points GCONV_PATH at an empty
 * directory and execs the real binary (same PID, process name {@code ffmpeg} for the probes).
 */
final class StaticFfmpeg {
    /** The version of the ws.schild artifacts. */
    static final String VERSION = "3.5.0";
    private static final String ENTRY_PREFIX = "ws/schild/jave/nativebin/ffmpeg";
    private static final long FETCH_TIMEOUT_MINUTES = 10;

    private StaticFfmpeg() {
    }

    /**
     * The {@code ffmpeg} script in the cache, fetched and unpacked first when it is not there.
     *
     * @param scratch a directory for the download, deleted with the demo's files
     */
    static Path installed(Map<String, String> env, Path scratch) throws DemoException, InterruptedException {
        String artifact = artifact();
        Path dir = cacheDir(env).resolve("ffmpeg-static-" + VERSION);
        Path script = dir.resolve("ffmpeg");
        if (!Files.isExecutable(script)) {
            System.err.println("demo: no ffmpeg on PATH; fetching a static ffmpeg build (" + artifact
                + ", about 30 MB) from Maven Central into " + dir + " ...");
            install(fetch(artifact, scratch), dir);
        }
        return script;
    }

    /** The Maven coordinates of the static build for this machine's processor. */
    static String artifact() throws DemoException {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        String module = switch (arch) {
            case "amd64", "x86_64" -> "jave-nativebin-linux64";
            case "aarch64", "arm64" -> "jave-nativebin-linux-arm64";
            default -> null;
        };
        if (!os.contains("linux") || module == null) {
            throw new DemoException("no ffmpeg on PATH, and Maven Central has no static ffmpeg build for " + os + "/"
                + arch + "; install ffmpeg (Debian: apt-get install ffmpeg) and run the demo again");
        }
        return "ws.schild:" + module + ":" + VERSION;
    }

    /** {@code $XDG_CACHE_HOME/ffdispatch}, else {@code ~/.cache/ffdispatch}. */
    static Path cacheDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ffdispatch");
    }

    private static Path fetch(String artifact, Path scratch) throws DemoException, InterruptedException {
        Path into = scratch.resolve("download");
        List<String> command = List.of("mvn", "-B", "-q", "-Dstyle.color=never", "dependency:copy",
            "-Dartifact=" + artifact, "-DoutputDirectory=" + into);
        Path log = scratch.resolve("mvn.log");
        int code;
        try {
            Files.createDirectories(into);
            // In the scratch directory, so no project's pom.xml takes part in this call.
            Process mvn = new ProcessBuilder(command).directory(scratch.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
            mvn.getOutputStream().close();
            if (!mvn.waitFor(FETCH_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                mvn.destroyForcibly();
                code = -1;
            } else {
                code = mvn.exitValue();
            }
        } catch (IOException e) {
            throw new DemoException("no ffmpeg on PATH, and no Maven (mvn) to fetch a static build from Maven Central"
                + " (" + e.getMessage() + "); install ffmpeg (Debian: apt-get install ffmpeg) or Maven, and run the"
                + " demo again");
        }
        Path jar = into.resolve(artifact.split(":")[1] + "-" + VERSION + ".jar");
        if (code != 0 || !Files.isRegularFile(jar)) {
            throw new DemoException("no ffmpeg on PATH, and Maven could not fetch " + artifact + " ("
                + (code == -1 ? "no answer within " + FETCH_TIMEOUT_MINUTES + " minutes" : "exit " + code + ": " + lastLine(log))
                + "); install ffmpeg (Debian: apt-get install ffmpeg), or let Maven reach Maven Central,"
                + " and run the demo again");
        }
        return jar;
    }

    /** The last line of Maven's output that says something (its ERROR line), without colour codes. */
    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                .map(l -> l.replaceAll("\u001b\\[[0-9;]*m", "").strip()).filter(l -> !l.isEmpty()).toList();
            return lines.stream().filter(l -> l.startsWith("[ERROR]")).findFirst()
                .orElse(lines.isEmpty() ? "no output" : lines.get(lines.size() - 1));
        } catch (IOException e) {
            return "no output";
        }
    }

    /**
     * Unpacks the jar's ffmpeg to {@code dir/bin/ffmpeg}, then writes the {@code dir/ffmpeg} script.
     * Each file is written under a temporary name and moved into place, the script last: a run
     * that was interrupted half-way leaves no script, so the next run installs again.
     */
    private static void install(Path jar, Path dir) throws DemoException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.stream().filter(e -> !e.isDirectory() && e.getName().startsWith(ENTRY_PREFIX))
                .findFirst().orElseThrow(() -> new DemoException(jar + " holds no " + ENTRY_PREFIX + "* entry;"
                    + " install ffmpeg (Debian: apt-get install ffmpeg) and run the demo again"));
            Path binary = dir.resolve("bin").resolve("ffmpeg");
            Path noGconv = Files.createDirectories(dir.resolve("no-gconv"));
            try (InputStream in = zip.getInputStream(entry)) {
                writeExecutable(binary, in);
            }
            String script = "#!/bin/sh\n"
                + "# ffdispatch demo: a static ffmpeg build. An empty GCONV_PATH keeps its built-in glibc from\n"
                + "# loading this machine's iconv modules, which crash it when it reads MPEG-TS.\n"
                + "GCONV_PATH=" + PosixShell.quote(noGconv.toString()) + " exec " + PosixShell.quote(binary.toString())
                + " \"$@\"\n";
            writeExecutable(dir.resolve("ffmpeg"), new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new DemoException("could not unpack ffmpeg from " + jar + " into " + dir + ": " + e
                + "; free some space there or set XDG_CACHE_HOME to a writable directory");
        }
    }

    private static void writeExecutable(Path target, InputStream content) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
        try {
            Files.copy(content, partial, StandardCopyOption.REPLACE_EXISTING);
            partial.toFile().setExecutable(true, false);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
