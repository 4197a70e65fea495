package io.tickvault.store.sqlite;

import io.tickvault.domain.Prices;
import io.tickvault.domain.Timeframe;
import io.tickvault.store.SourceTable;
import io.tickvault.store.jdbc.SqlDialect;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * SQLite's SQL: prices as integers of 1/10,000, times as microseconds since the epoch (UTC), a
 * day as an epoch day; symbols checked with GLOB. Stateless.
 */
public final class SqliteDialect implements SqlDialect {
  /** The one instance. */
  public static final SqliteDialect INSTANCE = new SqliteDialect();

  static final long MICROS_PER_DAY = 86_400_000_000L;

  private SqliteDialect() {}

  @Override
  public String type(SourceTable.Type type) {
    return switch (type) {
      case SYMBOL, ORIGIN -> "TEXT";
      case TIMESTAMP, PRICE, VOLUME, COUNT -> "INTEGER";
    };
  }

  @Override
  public String symbolCheck() {
    return "length(symbol) BETWEEN 1 AND 10 AND symbol GLOB '[A-Z0-9]*' AND symbol NOT GLOB '*[^A-Z0-9./-]*'";
  }

  @Override
  public String keyedTableOptions() {
    return " WITHOUT ROWID";
  }

  public static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  public static Instant fromMicros(long us) {
    return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
  }

  @Override
  public void bindInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setLong(index, micros(t));
    }
  }

  @Override
  public Instant readInstant(ResultSet rs, int index) throws SQLException {
    long v = rs.getLong(index);
    return rs.wasNull() ? null : fromMicros(v);
  }

  @Override
  public void bindPrice(PreparedStatement ps, int index, BigDecimal price) throws SQLException {
    bindScaled(ps, index, price);
  }

  @Override
  public BigDecimal readPrice(ResultSet rs, int index) throws SQLException {
    Object o = rs.getObject(index);
    if (o == null) {
      return null;
    }
    if (o instanceof Double d) { // only from aggregates (a mean or a ratio)
      return BigDecimal.valueOf(d).movePointLeft(Prices.SCALE);
    }
    return Prices.fromScaled(((Number) o).longValue());
  }

  static void bindScaled(PreparedStatement ps, int index, BigDecimal v) throws SQLException {
    if (v == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setLong(index, Prices.toScaled(v));
    }
  }

  /**
   * SQLite has no NUMERIC: {@code vwap * volume} (vwap as price * 10^4, below 2^34; volume at most
   * {@link io.tickvault.domain.BarRules#MAX_VOLUME}, below 2^47) can exceed a 64-bit integer, and an
   * integer sum that overflows fails. So each factor is split in two (vwap at bit 17, volume at bit
   * 24): the four partial products are below 2^41, and their sums over a month of 1-minute bars
   * (fewer than 2^16) stay below 2^57. They are recombined exactly here.
   */
  @Override
  public WeightedVwap weightedVwap() {
    return new WeightedVwap() {
      @Override
      public String inner() {
        return ", SUM((vwap & 131071) * (volume & 16777215)) AS vv0, SUM((vwap & 131071) * (volume >> 24)) AS vv1, "
            + "SUM((vwap >> 17) * (volume & 16777215)) AS vv2, SUM((vwap >> 17) * (volume >> 24)) AS vv3";
      }

      @Override
      public String outer() {
        return ", g.vv0, g.vv1, g.vv2, g.vv3";
      }

      @Override
      public BigDecimal read(ResultSet rs, int first) throws SQLException {
        if (rs.getObject(first) == null) {
          return null; // no bar of the candle has a vwap
        }
        java.math.BigInteger sum = java.math.BigInteger.valueOf(rs.getLong(first))
            .add(java.math.BigInteger.valueOf(rs.getLong(first + 1)).shiftLeft(24))
            .add(java.math.BigInteger.valueOf(rs.getLong(first + 2)).shiftLeft(17))
            .add(java.math.BigInteger.valueOf(rs.getLong(first + 3)).shiftLeft(41));
        return new BigDecimal(sum, io.tickvault.domain.Prices.SCALE);
      }
    };
  }

  @Override
  public String dayExpr() {
    return "(\"timestamp\" / " + MICROS_PER_DAY + ")";
  }

  @Override
  public LocalDate readDay(ResultSet rs, int index) throws SQLException {
    return LocalDate.ofEpochDay(rs.getLong(index));
  }

  @Override
  public void bindDay(PreparedStatement ps, int index, LocalDate day) throws SQLException {
    ps.setLong(index, day.toEpochDay());
  }

  /** Added before dividing so that SQLite's truncating division floors (a multiple of every width). */
  private static final long FLOOR_SHIFT = 86_400L * 7 * 100_000;

  @Override
  public String bucketExpr(Timeframe width, String offset) {
    String local = "(\"timestamp\" / 1000000 + " + offset + " + " + FLOOR_SHIFT + ")";
    if (!width.calendar()) {
      long w = width.duration().toSeconds();
      return "((" + local + " / " + w + ") * " + w + " - " + FLOOR_SHIFT + " - " + offset + ")";
    }
    String day = "(" + local + " / 86400 - " + (FLOOR_SHIFT / 86_400) + ")";
    return switch (width) {
      case WEEK_1 -> "(" + day + " - ((" + day + " + 3) % 7))"; // epoch day 0 was a Thursday
      case MONTH_1 -> "strftime('%Y-%m-01', " + day + " * 86400, 'unixepoch')";
      default -> day;
    };
  }

  @Override
  public Instant readBucket(ResultSet rs, int index, Timeframe width, ZoneId zone) throws SQLException {
    if (!width.calendar()) {
      return Instant.ofEpochSecond(rs.getLong(index));
    }
    LocalDate d = width == Timeframe.MONTH_1 ? LocalDate.parse(rs.getString(index))
        : LocalDate.ofEpochDay(rs.getLong(index));
    return d.atStartOfDay(zone).toInstant();
  }

  @Override
  public String instantLiteral(Instant t) {
    return Long.toString(micros(t));
  }
}
