package io.tickvault.quality;

import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The health states on SQLite. */
class SqliteHealthTest extends HealthContract {
  @TempDir
  Path dir;

  @Override
  protected BarStore newStore() {
    return Stores.open(dir.resolve("store.db").toString());
  }

  @Override
  protected Connection plainSql() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
  }
}
