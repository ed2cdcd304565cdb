package dev.ffdispatch.store;

import dev.ffdispatch.caps.ProbeAnswer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The SQL of capability profiles ({@code profiles}, {@code probe_answers}), on a connection the store gives. */
final class ProfileRows {
    private static final String COLUMNS = "machine, tool, path, size, modified, learned, working_hwaccels";

    private ProfileRows() {
    }

    /** Profiles whose machine is {@code machine}, or every profile when it is null; each with its answers. */
    static List<ProfileRecord> load(Connection c, String machine) throws SQLException {
        Map<String, Map<String, ProbeAnswer>> answers = new LinkedHashMap<>();
        String where = machine == null ? "" : " WHERE machine = ?";
        try (PreparedStatement ps = c.prepareStatement("SELECT machine, tool, probe, stdout, stderr, exit_code"
                + " FROM probe_answers" + where + " ORDER BY machine, tool, probe")) {
            if (machine != null) {
                ps.setString(1, machine);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    answers.computeIfAbsent(rs.getString(1) + " " + rs.getString(2), k -> new LinkedHashMap<>())
                        .put(rs.getString(3), new ProbeAnswer(rs.getBytes(4), rs.getBytes(5), rs.getInt(6)));
                }
            }
        }
        List<ProfileRecord> profiles = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM profiles" + where
                + " ORDER BY machine, tool")) {
            if (machine != null) {
                ps.setString(1, machine);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String hw = rs.getString(7);
                    Set<String> working = hw == null ? null
                        : new LinkedHashSet<>(hw.isEmpty() ? List.of() : Arrays.asList(hw.split(" ")));
                    profiles.add(new ProfileRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        Instant.ofEpochSecond(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)), working,
                        answers.getOrDefault(rs.getString(1) + " " + rs.getString(2), Map.of())));
                }
            }
        }
        return profiles;
    }

    /** Replaces the profile of {@code p.machine()}'s {@code p.tool()} with {@code p}, answers and all. */
    static void save(Connection c, ProfileRecord p) throws SQLException {
        delete(c, p.machine(), p.tool());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO profiles (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)")) {
            ps.setString(1, p.machine());
            ps.setString(2, p.tool());
            ps.setString(3, p.path());
            ps.setLong(4, p.size());
            ps.setLong(5, p.modified().getEpochSecond());
            ps.setLong(6, p.learned().toEpochMilli());
            if (p.workingHwaccels() == null) {
                ps.setNull(7, Types.VARCHAR);
            } else {
                ps.setString(7, String.join(" ", p.workingHwaccels()));
            }
            ps.executeUpdate();
        }
        for (Map.Entry<String, ProbeAnswer> e : p.answers().entrySet()) {
            putAnswer(c, p.machine(), p.tool(), e.getKey(), e.getValue());
        }
    }

    /**
     * Adds one answer to the profile whose identity is {@code identity}'s; when the stored
     * profile is of another binary (or there is none), it is replaced by one holding only this answer.
     */
    static void addAnswer(Connection c, ProfileRecord identity, String probe, ProbeAnswer answer) throws SQLException {
        boolean same = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT path, size, modified FROM profiles WHERE machine = ? AND tool = ?")) {
            ps.setString(1, identity.machine());
            ps.setString(2, identity.tool());
            try (ResultSet rs = ps.executeQuery()) {
                same = rs.next() && rs.getString(1).equals(identity.path()) && rs.getLong(2) == identity.size()
                    && rs.getLong(3) == identity.modified().getEpochSecond();
            }
        }
        if (!same) {
            save(c, new ProfileRecord(identity.machine(), identity.tool(), identity.path(), identity.size(),
                identity.modified(), identity.learned(), null, Map.of()));
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM probe_answers WHERE machine = ? AND tool = ? AND probe = ?")) {
            ps.setString(1, identity.machine());
            ps.setString(2, identity.tool());
            ps.setString(3, probe);
            ps.executeUpdate();
        }
        putAnswer(c, identity.machine(), identity.tool(), probe, answer);
    }

    /** Deletes the profiles of {@code machine} (every tool when {@code tool} is null); returns how many. */
    static int delete(Connection c, String machine, String tool) throws SQLException {
        for (String table : List.of("probe_answers", "profiles")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE machine = ?"
                    + (tool == null ? "" : " AND tool = ?"))) {
                ps.setString(1, machine);
                if (tool != null) {
                    ps.setString(2, tool);
                }
                int n = ps.executeUpdate();
                if (table.equals("profiles")) {
                    return n;
                }
            }
        }
        return 0;
    }

    private static void putAnswer(Connection c, String machine, String tool, String probe, ProbeAnswer a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO probe_answers (machine, tool, probe, stdout, stderr,"
                + " exit_code) VALUES (?,?,?,?,?,?)")) {
            ps.setString(1, machine);
            ps.setString(2, tool);
            ps.setString(3, probe);
            ps.setBytes(4, a.stdout());
            ps.setBytes(5, a.stderr());
            ps.setInt(6, a.exitCode());
            ps.executeUpdate();
        }
    }
}
