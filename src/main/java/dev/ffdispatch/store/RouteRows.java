package dev.ffdispatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The SQL of routing rules ({@code routes}), on a connection the store gives. */
final class RouteRows {
    private RouteRows() {
    }

    static List<RouteRecord> all(Connection c) throws SQLException {
        List<RouteRecord> routes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, pattern, hosts, created FROM routes ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                routes.add(new RouteRecord(rs.getLong(1), rs.getString(2), Arrays.asList(rs.getString(3).split(",")),
                    Instant.ofEpochMilli(rs.getLong(4))));
            }
        }
        return routes;
    }

    /** Stores {@code route} last; returns its id. */
    static long add(Connection c, RouteRecord route) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO routes (pattern, hosts, created) VALUES (?,?,?) RETURNING id")) {
            ps.setString(1, route.pattern());
            ps.setString(2, String.join(",", route.hosts()));
            ps.setLong(3, route.created().toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static int remove(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM routes WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }
}
