package dev.ffdispatch.demo;

import dev.ffdispatch.protocol.PosixShell;
import dev.ffdispatch.protocol.Tool;
import dev.ffdispatch.shim.LocalTool;
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
 * Finds a real ffmpeg for the demo: the system's (Debian's package, Jellyfin's build), else a
 * statically linked ffmpeg from Maven Central. The static build needs no shared library at all,
 * so it runs on a machine where ffmpeg was never installed; a dynamically linked build from
 * Maven Central (bytedeco's) needs libraries such as libpulse that such a machine lacks. It is
 * unpacked once into the user's cache directory and reused by later runs.
 *
 * <p>The static build carries its own glibc, whose iconv loads this machine's gconv modules
 * (built for another glibc) and crashes when ffmpeg reads MPEG-TS. So the program the demo runs
 * is a small {@code ffmpeg} script beside {@code bin/ffmpeg} that points GCONV_PATH at an empty
 * directory and execs the real binary (same PID, process name {@code ffmpeg} for the probes).
 */
final class DemoFfmpeg {
    /** The version of the ws.schild static builds (ffmpeg 4.4.1, John Van Sickle's static build). */
    static final String STATIC_VERSION = "3.5.0";
    private static final String ENTRY_PREFIX = "ws/schild/jave/nativebin/ffmpeg";
    private static final long RUN_TIMEOUT_SECONDS = 60;
    private static final long FETCH_TIMEOUT_MINUTES = 10;

    private DemoFfmpeg() {
    }

    /**
     * The ffmpeg to use: the system's when there is one, else the cached or freshly fetched static
     * build. Either way it is run once ({@code -version}) so a program that cannot start is
     * reported here, with the fix, instead of as a failed clip later.
     *
     * @param scratch a directory for the download, deleted with the demo's files
     */
    static Path locate(Map<String, String> env, Path scratch) throws DemoException, InterruptedException {
        // The same search the shim's and the daemon's local runs use: never ffdispatch's own shim.
        String system = LocalTool.find(Tool.FFMPEG, env, "", LocalTool.JELLYFIN_FFMPEG_DIR);
        if (system != null) {
            Path ffmpeg = Path.of(system);
            requireRuns(ffmpeg, "the system's ffmpeg", scratch);
            return ffmpeg;
        }
        String artifact = staticArtifact();
        Path dir = cacheDir(env).resolve("ffmpeg-static-" + STATIC_VERSION);
        Path cached = dir.resolve("ffmpeg");
        if (!Files.isExecutable(cached)) {
            System.err.println("demo: no ffmpeg on PATH; fetching a static ffmpeg build (" + artifact
                + ", about 30 MB) from Maven Central into " + dir + " ...");
            Path jar = fetch(artifact, scratch);
            install(jar, dir);
        }
        requireRuns(cached, "the static ffmpeg build", scratch);
        return cached;
    }

    /** The Maven coordinates of the static build for this machine's processor. */
    static String staticArtifact() throws DemoException {
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
        return "ws.schild:" + module + ":" + STATIC_VERSION;
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
        Path jar = into.resolve(artifact.split(":")[1] + "-" + STATIC_VERSION + ".jar");
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

    /** Runs {@code ffmpeg -version}; a program that cannot start (a missing library: exit 127) is named with the fix. */
    private static void requireRuns(Path ffmpeg, String what, Path scratch) throws DemoException, InterruptedException {
        String problem;
        try {
            Files.createDirectories(scratch);
            Path output = Files.createTempFile(scratch, "ffmpeg-version", ".txt");
            Process p = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-version").redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                problem = "did not answer -version within " + RUN_TIMEOUT_SECONDS + " s";
            } else if (p.exitValue() == 0) {
                return;
            } else {
                problem = "exits with " + p.exitValue() + ": "
                    + Files.readString(output, StandardCharsets.ISO_8859_1).strip().lines().findFirst().orElse("(no output)");
            }
        } catch (IOException e) {
            problem = "cannot start: " + e.getMessage();
        }
        throw new DemoException(what + " (" + ffmpeg + ") " + problem + "; install a working ffmpeg"
            + " (Debian: apt-get install ffmpeg) and run the demo again");
    }
}
