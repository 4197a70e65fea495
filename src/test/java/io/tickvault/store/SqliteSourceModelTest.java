package io.tickvault.store;

import io.tickvault.store.sqlite.SqliteBarStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;

/** The source model on SQLite, in a temporary file. */
class SqliteSourceModelTest extends SourceModelContract {
  @TempDir
  Path dir;

  @Override
  protected BarStore openStore(boolean fresh) {
    return SqliteBarStore.open(dir.resolve("store.db"), SqliteBarStore.Mode.PRODUCTION);
  }

  @Override
  protected Connection plainSql() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
  }

  @Override
  protected String plainInsert(String table, String symbol, Instant t) {
    return "INSERT INTO " + table + " (symbol, price, \"timestamp\", origin) VALUES ('" + symbol + "', 100000, "
        + (t.getEpochSecond() * 1_000_000L) + ", 'alpaca')";
  }
}
