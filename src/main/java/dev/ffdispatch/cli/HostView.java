package dev.ffdispatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ffdispatch.config.Config;
import dev.ffdispatch.posix.ProgramPaths;
import dev.ffdispatch.ssh.SshTarget;
import dev.ffdispatch.store.HostRecord;
import dev.ffdispatch.store.PathMap;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Hosts as text and JSON. JSON fields (stable, scripts rely on them): id, name, address, port,
 * user (effective), weight, max_jobs (null = no cap), ffmpeg, ffprobe (effective), mappings
 * [{local, remote}], enabled, drained, created (ISO-8601), problem (why the daemon cannot use the
 * row and how to fix it; null when it can), wake_mac and wake_to (Wake-on-LAN; null when off).
 */
final class HostView {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] COLUMNS = {"NAME", "ADDRESS", "PORT", "USER", "WEIGHT", "MAX_JOBS", "STATE", "MAPPINGS"};

    private final Config config;

    HostView(Config config) {
        this.config = config;
    }

    ObjectNode json(HostRecord h) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", h.id());
        o.put("name", h.name());
        o.put("address", h.address());
        o.put("port", h.port());
        o.put("user", user(h));
        o.put("weight", h.weight());
        o.put("max_jobs", h.maxJobs());
        o.put("ffmpeg", ProgramPaths.ffmpeg(h.ffmpeg()));
        o.put("ffprobe", ProgramPaths.ffprobe(h.ffprobe(), h.ffmpeg()));
        ArrayNode maps = o.putArray("mappings");
        h.mappings().forEach(m -> maps.addObject().put("local", m.local()).put("remote", m.remote()));
        o.put("enabled", h.enabled());
        o.put("drained", h.drained());
        o.put("created", h.created().toString());
        o.put("problem", h.problem());
        o.put("wake_mac", h.wake() == null ? null : h.wake().mac());
        o.put("wake_to", h.wake() == null ? null : h.wake().to());
        return o;
    }

    void printJson(PrintWriter out, Object node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    void printList(PrintWriter out, List<HostRecord> hosts) {
        List<String[]> rows = new ArrayList<>();
        rows.add(COLUMNS);
        for (HostRecord h : hosts) {
            rows.add(new String[] {h.name(), h.address(), String.valueOf(h.port()), user(h), String.valueOf(h.weight()),
                    h.maxJobs() == null ? "-" : h.maxJobs().toString(), state(h), mappings(h)});
        }
        int[] widths = new int[COLUMNS.length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 2) + "s", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    void printShow(PrintWriter out, HostRecord h) {
        out.println("name:     " + h.name());
        out.println("address:  " + h.address());
        out.println("port:     " + h.port());
        out.println("user:     " + user(h) + (h.user() == null ? " (ssh.user)" : ""));
        out.println("weight:   " + h.weight());
        out.println("max_jobs: " + (h.maxJobs() == null ? "none" : h.maxJobs()));
        out.println("ffmpeg:   " + ProgramPaths.ffmpeg(h.ffmpeg()) + (h.ffmpeg() == null ? " (on the worker's PATH)" : ""));
        out.println("ffprobe:  " + ProgramPaths.ffprobe(h.ffprobe(), h.ffmpeg()) + ffprobeSource(h));
        out.println("mappings: " + mappings(h));
        out.println("wake:     " + (h.wake() == null ? "-" : h.wake().mac() + " via " + h.wake().to()));
        out.println("state:    " + state(h));
        if (h.problem() != null) {
            out.println("problem:  " + h.problem());
        }
        out.println("created:  " + h.created());
    }

    String summary(HostRecord h) {
        return "'" + h.name() + "' (" + user(h) + "@" + SshTarget.hostPort(h.address(), h.port()) + ", weight " + h.weight()
                + (h.maxJobs() == null ? "" : ", max_jobs " + h.maxJobs()) + ", " + state(h) + ")";
    }

    private String user(HostRecord h) {
        return h.login(config.ssh().user());
    }

    /** Where the shown ffprobe comes from when it is not configured itself. */
    private static String ffprobeSource(HostRecord h) {
        if (h.ffprobe() != null) {
            return "";
        }
        return ProgramPaths.ffprobeBeside(h.ffmpeg()) != null ? " (beside ffmpeg)" : " (on the worker's PATH)";
    }

    private static String state(HostRecord h) {
        return h.problem() != null ? "invalid" : h.drained() ? "drained" : "enabled";
    }

    private static String mappings(HostRecord h) {
        return h.mappings().isEmpty() ? "-" : h.mappings().stream().map(PathMap::toString).collect(Collectors.joining(","));
    }
}
