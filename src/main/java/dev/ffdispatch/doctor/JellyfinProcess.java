package dev.ffdispatch.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A running Jellyfin as /proc shows it: the native {@code jellyfin} program (Debian package,
 * official image, linuxserver.io image) or {@code dotnet jellyfin.dll} (portable install).
 *
 * @param pid its process id
 * @param args its command line, every element (a script's interpreter first)
 * @param environment its environment, or null when /proc does not let this user read it
 */
public record JellyfinProcess(long pid, List<String> args, Map<String, String> environment) {
    public JellyfinProcess {
        args = List.copyOf(args);
        environment = environment == null ? null : Map.copyOf(environment);
    }

    /** Every Jellyfin process under {@code proc} (normally /proc), lowest pid first. */
    public static List<JellyfinProcess> find(Path proc) {
        List<JellyfinProcess> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : entries) {
                read(dir).ifPresent(found::add);
            }
        } catch (IOException e) {
            return List.of(); // no /proc (macOS): nothing to find
        }
        found.sort((a, b) -> Long.compare(a.pid, b.pid));
        return found;
    }

    /** The process in {@code dir} when it is a Jellyfin; empty for anything else, or when it has gone. */
    static Optional<JellyfinProcess> read(Path dir) {
        try {
            String comm = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).strip();
            List<String> args = split(Files.readAllBytes(dir.resolve("cmdline")));
            if (!isJellyfin(comm, args)) {
                return Optional.empty();
            }
            return Optional.of(new JellyfinProcess(Long.parseLong(dir.getFileName().toString()), args, environment(dir)));
        } catch (IOException e) {
            return Optional.empty(); // the process ended while we looked, or is a kernel thread
        }
    }

    /** A process named jellyfin, or dotnet running jellyfin.dll. */
    static boolean isJellyfin(String comm, List<String> args) {
        String program = args.isEmpty() ? "" : baseName(args.get(0));
        if (comm.equals("jellyfin") || program.equals("jellyfin")) {
            return true;
        }
        if (comm.equals("dotnet") || program.equals("dotnet")) {
            return args.stream().anyMatch(a -> baseName(a).toLowerCase(Locale.ROOT).equals("jellyfin.dll"));
        }
        return false;
    }

    private static Map<String, String> environment(Path dir) {
        try {
            Map<String, String> env = new LinkedHashMap<>();
            for (String entry : split(Files.readAllBytes(dir.resolve("environ")))) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            return env;
        } catch (IOException e) {
            return null; // another user's process: only root (or that user) may read its environment
        }
    }

    private static List<String> split(byte[] nulSeparated) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < nulSeparated.length; i++) {
            if (nulSeparated[i] == 0) {
                parts.add(new String(nulSeparated, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < nulSeparated.length) {
            parts.add(new String(nulSeparated, start, nulSeparated.length - start, StandardCharsets.UTF_8));
        }
        return parts;
    }

    static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * The value of a command-line option as Jellyfin's parser reads it: {@code --name=value},
     * {@code --name value}, or for a one-letter alias {@code -c value}; the first one given.
     */
    public Optional<String> option(String name, Character alias) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--" + name + "=")) {
                return Optional.of(arg.substring(name.length() + 3));
            }
            boolean flag = arg.equals("--" + name) || alias != null && arg.equals("-" + alias);
            if (flag && i + 1 < args.size()) {
                return Optional.of(args.get(i + 1));
            }
        }
        return Optional.empty();
    }

    /**
     * An environment variable; .NET matches configuration variables without regard to case.
     *
     * @return empty when unset, or when the environment cannot be read (check {@link #environment()})
     */
    public Optional<String> variable(String name) {
        if (environment == null) {
            return Optional.empty();
        }
        return environment.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
            .map(Map.Entry::getValue).findFirst();
    }

    /** The program Jellyfin runs as: the first argument that is not an interpreter (sh, dotnet). */
    public String program() {
        for (String arg : args) {
            String base = baseName(arg);
            if (!base.equals("dotnet") && !base.equals("sh") && !base.equals("bash") && !base.equals("dash")) {
                return arg;
            }
        }
        return args.isEmpty() ? "" : args.get(0);
    }
}
