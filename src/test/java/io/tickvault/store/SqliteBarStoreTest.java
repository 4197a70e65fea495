package io.tickvault.store;

import io.tickvault.store.sqlite.SqliteBarStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on SQLite, in a temporary file. */
class SqliteBarStoreTest extends BarStoreContract {
  @TempDir
  Path dir;

  @Override
  protected BarStore newStore() {
    return SqliteBarStore.open(dir.resolve("store.db"), SqliteBarStore.Mode.PRODUCTION);
  }

  @Override
  protected Connection plainSql() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
  }

  @Override
  protected String legacyTableDdl(String table) {
    return "CREATE TABLE " + table + " (symbol TEXT NOT NULL, price INTEGER NOT NULL CHECK (price > 0), "
        + "\"timestamp\" INTEGER NOT NULL, open_price INTEGER, high_price INTEGER, low_price INTEGER, "
        + "close_price INTEGER, volume INTEGER NOT NULL DEFAULT 0, trade_count INTEGER NOT NULL DEFAULT 0, "
        + "vwap INTEGER, origin TEXT NOT NULL DEFAULT 'legacy', PRIMARY KEY (symbol, \"timestamp\")) WITHOUT ROWID";
  }

  @Override
  protected String plainInsert(String table, String symbol, int minute) {
    long micros = (java.time.Instant.parse("2025-01-15T15:00:00Z").getEpochSecond() + 60L * minute) * 1_000_000L;
    return "INSERT INTO " + table + " (symbol, price, \"timestamp\", origin) VALUES ('" + symbol.replace("'", "''")
        + "', 100000, " + micros + ", 'legacy')";
  }
}
