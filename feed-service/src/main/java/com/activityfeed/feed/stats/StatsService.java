package com.activityfeed.feed.stats;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The stats of seed 001. Each section runs in its own short transaction with its own statement
 * timeout, so one slow or failing section leaves the others intact: it is reported in
 * {@code errors} and the answer says {@code partial: true}.
 */
@ApplicationScoped
public class StatsService {
    private static final Logger LOG = Logger.getLogger(StatsService.class);
    public static final int TOP = 10;

    private final AgroalDataSource dataSource;
    private final StatsConfig config;

    public StatsService(AgroalDataSource dataSource, StatsConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    public record Query(String tenant, Instant from, Instant to, ZoneId tz, String actorId) {
    }

    public record TypeCount(String type, long count) {
    }

    public record WeekCount(String week, long count) {
    }

    public record DayCount(String date, long count) {
    }

    public record WeekdayCount(String day, long count) {
    }

    public record EntityCount(String entityType, String entityId, @Schema(nullable = true) String name, long count) {
    }

    public record ActorCount(String actorId, @Schema(nullable = true) String name, long count) {
    }

    public record TileScore(String tileId, @Schema(nullable = true) String title, long reactions, long comments) {
    }

    public record SectionError(String section, String message) {
    }

    // a section that failed is null, with an entry in errors (partial: true)
    public record Stats(String from, String to, String tz, @Schema(nullable = true) Long total,
                        @Schema(nullable = true) Long uniqueEntities, @Schema(nullable = true) Long uniqueActors,
                        @Schema(nullable = true) List<TypeCount> byType, @Schema(nullable = true) List<WeekCount> weekly,
                        @Schema(nullable = true) List<DayCount> daily, @Schema(nullable = true) List<WeekdayCount> byWeekday,
                        @Schema(nullable = true) List<EntityCount> topEntities, @Schema(nullable = true) List<ActorCount> topActors,
                        @Schema(nullable = true) List<TileScore> topTiles, boolean partial, List<SectionError> errors) {
    }

    @FunctionalInterface
    interface Section<T> {
        T compute(Connection c) throws SQLException;
    }

    public Stats stats(Query q) {
        List<SectionError> errors = new ArrayList<>();
        String scope = q.actorId() == null ? "" : " AND actor_id = ?";
        Long total = section("total", errors, c -> single(c, "SELECT count(*) FROM event WHERE tenant_id = ?"
                + " AND occurred_at >= ? AND occurred_at < ?" + scope, q));
        Long entities = section("uniqueEntities", errors, c -> single(c, """
                SELECT count(*) FROM (SELECT DISTINCT entity_type, entity_id FROM event WHERE tenant_id = ?
                AND occurred_at >= ? AND occurred_at < ? AND entity_id IS NOT NULL""" + scope + ") x", q));
        Long actors = section("uniqueActors", errors, c -> single(c, """
                SELECT count(DISTINCT actor_id) FROM event WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ?"""
                + scope, q));
        List<TypeCount> byType = section("byType", errors, c -> {
            List<TypeCount> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "SELECT type, count(*) FROM event WHERE tenant_id = ?"
                    + " AND occurred_at >= ? AND occurred_at < ?" + scope + " GROUP BY type ORDER BY 2 DESC, 1", q);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TypeCount(rs.getString(1), rs.getLong(2)));
                }
            }
            return out;
        });
        List<WeekCount> weekly = section("weekly", errors, c -> weekly(c, q, scope));
        List<DayCount> daily = section("daily", errors, c -> daily(c, q, scope));
        List<WeekdayCount> byWeekday = section("byWeekday", errors, c -> {
            long[] counts = new long[7];
            try (PreparedStatement ps = prepare(c, "SELECT extract(isodow FROM occurred_at AT TIME ZONE ?)::int, count(*)"
                    + " FROM event WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ?" + scope + " GROUP BY 1",
                    q.tz().getId(), q)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts[rs.getInt(1) - 1] = rs.getLong(2);
                    }
                }
            }
            List<WeekdayCount> out = new ArrayList<>();
            for (DayOfWeek d : DayOfWeek.values()) {
                out.add(new WeekdayCount(d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toUpperCase(Locale.ROOT),
                        counts[d.getValue() - 1]));
            }
            return out;
        });
        List<EntityCount> topEntities = section("topEntities", errors, c -> {
            List<EntityCount> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "SELECT entity_type, entity_id, max(entity_name), count(*) FROM event"
                    + " WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ? AND entity_id IS NOT NULL" + scope
                    + " GROUP BY 1, 2 ORDER BY 4 DESC, 1, 2 LIMIT " + TOP, q); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EntityCount(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
            return out;
        });
        List<ActorCount> topActors = section("topActors", errors, c -> {
            List<ActorCount> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "SELECT actor_id, max(actor_name), count(*) FROM event"
                    + " WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ? AND actor_id IS NOT NULL" + scope
                    + " GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT " + TOP, q); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ActorCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
            return out;
        });
        List<TileScore> topTiles = section("topTiles", errors, c -> {
            List<TileScore> out = new ArrayList<>();
            String tileScope = q.actorId() == null ? "" : " AND ? = ANY(t.actor_ids)";
            try (PreparedStatement ps = prepare(c, """
                    SELECT t.id, t.body->>'title', s.hype + s.respect + s.tribute, s.comment_count
                    FROM tile_social s JOIN tile t ON t.id = s.tile_id
                    WHERE s.tenant_id = ? AND t.occurred_at >= ? AND t.occurred_at < ?""" + tileScope + """
                     AND s.hype + s.respect + s.tribute + s.comment_count > 0
                    ORDER BY s.hype + s.respect + s.tribute + s.comment_count DESC, t.id LIMIT """ + " " + TOP, q);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TileScore(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            return out;
        });
        return new Stats(q.from().toString(), q.to().toString(), q.tz().getId(), total, entities, actors, byType, weekly,
                daily, byWeekday, topEntities, topActors, topTiles, !errors.isEmpty(), errors);
    }

    private List<WeekCount> weekly(Connection c, Query q, String scope) throws SQLException {
        LocalDate lastDay = q.to().minusNanos(1).atZone(q.tz()).toLocalDate();
        LocalDate firstMonday = lastDay.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(11);
        Map<LocalDate, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            counts.put(firstMonday.plusWeeks(i), 0L);
        }
        Instant start = firstMonday.atStartOfDay(q.tz()).toInstant();
        try (PreparedStatement ps = prepare(c, "SELECT date_trunc('week', occurred_at AT TIME ZONE ?)::date, count(*)"
                + " FROM event WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ?" + scope + " GROUP BY 1",
                q.tz().getId(), new Query(q.tenant(), start, q.to(), q.tz(), q.actorId()))) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate week = rs.getObject(1, LocalDate.class);
                    if (counts.containsKey(week)) {
                        counts.put(week, rs.getLong(2));
                    }
                }
            }
        }
        List<WeekCount> out = new ArrayList<>();
        counts.forEach((monday, n) -> out.add(new WeekCount(String.format("%d-W%02d",
                monday.get(IsoFields.WEEK_BASED_YEAR), monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)), n)));
        return out;
    }

    private List<DayCount> daily(Connection c, Query q, String scope) throws SQLException {
        LocalDate lastDay = q.to().minusNanos(1).atZone(q.tz()).toLocalDate();
        LocalDate firstDay = lastDay.minusDays(29);
        Map<LocalDate, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            counts.put(firstDay.plusDays(i), 0L);
        }
        Instant start = firstDay.atStartOfDay(q.tz()).toInstant();
        try (PreparedStatement ps = prepare(c, "SELECT (occurred_at AT TIME ZONE ?)::date, count(*)"
                + " FROM event WHERE tenant_id = ? AND occurred_at >= ? AND occurred_at < ?" + scope + " GROUP BY 1",
                q.tz().getId(), new Query(q.tenant(), start, q.to(), q.tz(), q.actorId()))) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate day = rs.getObject(1, LocalDate.class);
                    if (counts.containsKey(day)) {
                        counts.put(day, rs.getLong(2));
                    }
                }
            }
        }
        List<DayCount> out = new ArrayList<>();
        counts.forEach((day, n) -> out.add(new DayCount(day.toString(), n)));
        return out;
    }

    private <T> T section(String name, List<SectionError> errors, Section<T> section) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL statement_timeout = " + Math.max(1, config.sectionTimeout().toMillis()));
                T result = section.compute(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            boolean timeout = "57014".equals(e.getSQLState());
            LOG.warnf("stats section %s failed: %s", name, e.getMessage());
            errors.add(new SectionError(name, timeout ? "timed out" : "could not be computed"));
            return null;
        }
    }

    private static long single(Connection c, String sql, Query q) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, q); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Query q) throws SQLException {
        return prepare(c, sql, null, q);
    }

    /** Binds (tz), tenant, from, to and (actor), in that order. */
    private static PreparedStatement prepare(Connection c, String sql, String tz, Query q) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        int i = 1;
        if (tz != null) {
            ps.setString(i++, tz);
        }
        ps.setString(i++, q.tenant());
        ps.setTimestamp(i++, Timestamp.from(q.from()));
        ps.setTimestamp(i++, Timestamp.from(q.to()));
        if (q.actorId() != null) {
            ps.setString(i, q.actorId());
        }
        return ps;
    }
}
