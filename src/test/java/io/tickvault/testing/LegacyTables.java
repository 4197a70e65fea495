package io.tickvault.testing;

import java.time.Instant;

/**
 * SQL for a source table made outside tickvault (by hand, or by an older tool), per engine, and a
 * plain-SQL insert into it: what the tests use to stand in for other writers.
 */
public final class LegacyTables {
  private static final Instant BASE = Instant.parse("2025-01-15T15:00:00Z");

  private LegacyTables() {}

  public static String postgresDdl(String table) {
    return "CREATE TABLE " + table + " (symbol VARCHAR(10) NOT NULL, price DECIMAL(10,4) NOT NULL CHECK (price > 0), "
        + "\"timestamp\" TIMESTAMPTZ NOT NULL, open_price DECIMAL(10,4), high_price DECIMAL(10,4), "
        + "low_price DECIMAL(10,4), close_price DECIMAL(10,4), volume BIGINT NOT NULL DEFAULT 0, "
        + "trade_count INTEGER NOT NULL DEFAULT 0, vwap DECIMAL(10,4), origin VARCHAR(40) NOT NULL DEFAULT 'legacy', "
        + "PRIMARY KEY (symbol, \"timestamp\"))";
  }

  /** One bar at 15:0{minute} UTC on 2025-01-15, price 10. */
  public static String postgresInsert(String table, String symbol, int minute) {
    return "INSERT INTO " + table + " (symbol, price, \"timestamp\", origin) VALUES ('" + symbol.replace("'", "''")
        + "', 10, '2025-01-15 15:0" + minute + ":00+00', 'legacy')";
  }

  public static String sqliteDdl(String table) {
    return "CREATE TABLE " + table + " (symbol TEXT NOT NULL, price INTEGER NOT NULL CHECK (price > 0), "
        + "\"timestamp\" INTEGER NOT NULL, open_price INTEGER, high_price INTEGER, low_price INTEGER, "
        + "close_price INTEGER, volume INTEGER NOT NULL DEFAULT 0, trade_count INTEGER NOT NULL DEFAULT 0, "
        + "vwap INTEGER, origin TEXT NOT NULL DEFAULT 'legacy', PRIMARY KEY (symbol, \"timestamp\")) WITHOUT ROWID";
  }

  /** One bar at 15:0{minute} UTC on 2025-01-15, price 10 (stored as 100000). */
  public static String sqliteInsert(String table, String symbol, int minute) {
    long micros = (BASE.getEpochSecond() + 60L * minute) * 1_000_000L;
    return "INSERT INTO " + table + " (symbol, price, \"timestamp\", origin) VALUES ('" + symbol.replace("'", "''")
        + "', 100000, " + micros + ", 'legacy')";
  }
}
