package io.tickvault.store.jdbc;

import io.tickvault.domain.Timeframe;
import io.tickvault.store.SourceTable;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * What an engine's SQL says differently: the column types of a source table (from
 * {@link SourceTable.Dialect}), how timestamps, prices and days are bound and read, and the day,
 * bucket and exact weighted-vwap expressions. Everything else of the shared SQL is written once,
 * in this package. Implementations are stateless and thread-safe.
 */
public interface SqlDialect extends SourceTable.Dialect {
  /**
   * Sets up a streaming read's own transaction for a read in key order (symbol, timestamp); nothing
   * by default. PostgreSQL: a table partitioned by month has no index in that order across months,
   * and the planner would sort every row; with sorts off for this transaction it merges the months'
   * indexes instead, which is what a plain table's one index gives.
   */
  default void beforeKeyOrderedRead(java.sql.Connection c) throws SQLException {}


  void bindInstant(PreparedStatement ps, int index, Instant t) throws SQLException;

  Instant readInstant(ResultSet rs, int index) throws SQLException;

  BigDecimal readPrice(ResultSet rs, int index) throws SQLException;

  /** Binds a price as the engine stores it; null binds NULL. */
  void bindPrice(PreparedStatement ps, int index, BigDecimal price) throws SQLException;

  /** SQL for the UTC day of the timestamp column, as the engine's day type. */
  String dayExpr();

  LocalDate readDay(ResultSet rs, int index) throws SQLException;

  void bindDay(PreparedStatement ps, int index, LocalDate day) throws SQLException;

  /**
   * SQL expression putting the timestamp column into candles of {@code width}, given {@code offset}:
   * an SQL expression for the UTC offset, in seconds, of the source's zone at that timestamp.
   * Intraday candles are aligned on local time (a bucket start is an instant); day, week (from
   * Monday) and month candles are local calendar units (a bucket is a local date); see
   * {@link #readBucket}.
   */
  String bucketExpr(Timeframe width, String offset);

  /** Reads a bucket of {@link #bucketExpr} as the instant its candle starts, in {@code zone}. */
  Instant readBucket(ResultSet rs, int index, Timeframe width, ZoneId zone) throws SQLException;

  /** A literal of the timestamp column's type, for SQL built from trusted values only. */
  String instantLiteral(Instant t);

  /** The engine's exact {@code SUM(vwap * volume)} per candle. */
  WeightedVwap weightedVwap();

  /** Whether a failed aggregate query overflowed an integer sum (SQLite raises "integer overflow"). */
  default boolean overflowed(SQLException e) {
    String m = e.getMessage();
    return "22003".equals(e.getSQLState()) || (m != null && m.contains("integer overflow"));
  }

  /**
   * How an engine sums {@code vwap * volume} per candle without overflow or rounding: the extra
   * aggregate columns of the inner query ({@code inner}, each starting with ", "), the same columns
   * in the outer select ({@code outer}), and how to read their exact sum (prices at scale 4) from the
   * result, starting at a column index.
   */
  interface WeightedVwap {
    String inner();

    String outer();

    BigDecimal read(ResultSet rs, int first) throws SQLException;
  }
}
