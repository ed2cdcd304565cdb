package dev.ffdispatch.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.ffdispatch.store.StoreException.Kind.INVALID;

/** What a host's fields may hold. Every message repeats the bad value and says what is accepted. */
final class HostRules {
    /** Weights above this are a typo, not a plan: the score formula divides by the weight. */
    static final int MAX_WEIGHT = 1000;
    static final int MAX_JOBS = 1000;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:%-]{0,254}");
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]{0,31}");

    private HostRules() {
    }

    static String address(String address) {
        if (address == null || address.isEmpty()) {
            throw invalid("address is empty; give a host name or IP address, e.g. worker1.lan or 192.168.1.20");
        }
        if (address.contains("@")) {
            throw invalid("address '" + address + "' contains '@'; give the user with --user and only the host as address");
        }
        if (address.indexOf(':') >= 0) {
            if (address.chars().filter(c -> c == ':').count() == 1) {
                throw invalid("address '" + address + "' contains a port; give the port with --port");
            }
            if (!IPV6.matcher(address).matches()) {
                throw invalid("address '" + address + "' is not a valid IPv6 address (write it without brackets)");
            }
            return address;
        }
        if (IPV4.matcher(address).matches()) {
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw invalid("address '" + address + "' is not a valid IPv4 address (octet " + octet + " > 255)");
                }
            }
            return address;
        }
        if (address.length() > 253 || !allLabels(address)) {
            throw invalid("address '" + address + "' is not a valid host name (letters, digits, '-' and '.',"
                    + " e.g. worker1.lan) or IP address");
        }
        return address;
    }

    private static boolean allLabels(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (String label : h.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw invalid("name '" + name + "' is not valid; use letters, digits and . _ - : (starting with a letter"
                    + " or digit, at most 255)");
        }
        if (isReserved(name)) {
            throw invalid(reserved(name) + "; give the worker another name: ffdispatch host add <address> --name <name>");
        }
        return name;
    }

    /** True for {@link HostRecord#LOCAL} in any case: job history, metrics and the reaper mean this machine by it. */
    static boolean isReserved(String name) {
        return HostRecord.LOCAL.equalsIgnoreCase(name);
    }

    static String reserved(String name) {
        return "host name '" + name + "' is reserved for this machine (its jobs are recorded as host '" + HostRecord.LOCAL
                + "', and what they leave behind is ended here, not on a worker)";
    }

    static void port(int port) {
        if (port < 1 || port > 65535) {
            throw invalid("port " + port + " is out of range; accepted: 1..65535");
        }
    }

    static String user(String user) {
        if (user != null && !USER.matcher(user).matches()) {
            throw invalid("user '" + user + "' is not a valid login name ([A-Za-z_][A-Za-z0-9._-]*, at most 32)");
        }
        return user;
    }

    static void weight(int weight) {
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw invalid("weight " + weight + " is out of range; accepted: 1.." + MAX_WEIGHT
                    + " (relative speed: a host with weight 4 takes about twice the jobs of weight 2)");
        }
    }

    static void maxJobs(Integer maxJobs) {
        if (maxJobs != null && (maxJobs < 1 || maxJobs > MAX_JOBS)) {
            throw invalid("max-jobs " + maxJobs + " is out of range; accepted: 1.." + MAX_JOBS + " (or none for no cap)");
        }
    }

    /** A remote program: an absolute path or a bare command name found on the worker's PATH. */
    static String program(String what, String path) {
        if (path == null) {
            return null;
        }
        boolean bare = !path.isEmpty() && path.indexOf('/') < 0;
        if (!(bare || path.startsWith("/")) || path.chars().anyMatch(c -> c < 0x20)) {
            throw invalid(what + " path '" + path + "' must be absolute (e.g. /usr/lib/jellyfin-ffmpeg/" + what
                    + ") or a bare command name, without control characters");
        }
        return path;
    }

    static String absolute(String what, String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\n') >= 0) {
            throw invalid(what + " '" + path + "' is not an absolute path; write <local>=<remote>,"
                    + " both starting with '/', e.g. /media=/mnt/media");
        }
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/")) {
            // "/" would rewrite every absolute path (devices, /tmp, pipes): never what a shared mount means.
            throw invalid(what + " '" + path + "' is the root directory; map the shared directories one by one,"
                    + " e.g. /media=/mnt/media");
        }
        return p;
    }

    static List<PathMap> mappings(List<PathMap> mappings) {
        Set<String> locals = new HashSet<>();
        for (PathMap m : mappings) {
            if (!locals.add(m.local())) {
                throw invalid("local path '" + m.local() + "' is mapped twice; give each local prefix once");
            }
        }
        return List.copyOf(mappings);
    }

    private static StoreException invalid(String message) {
        return new StoreException(INVALID, message);
    }
}
