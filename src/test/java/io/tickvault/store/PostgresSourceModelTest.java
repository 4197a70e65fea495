package io.tickvault.store;

import io.tickvault.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;

/** The source model on a real PostgreSQL (TICKVAULT_TEST_PG_URL, else embedded). */
class PostgresSourceModelTest extends SourceModelContract {
  private String url;

  @Override
  protected BarStore openStore(boolean fresh) {
    if (fresh) {
      url = TestPostgres.newDatabase();
    }
    return Stores.open(url);
  }

  @Override
  protected Connection plainSql() throws SQLException {
    return DriverManager.getConnection(url);
  }

  @Override
  protected String plainInsert(String table, String symbol, Instant t) {
    return "INSERT INTO " + table + " (symbol, price, \"timestamp\", origin) VALUES ('" + symbol + "', 10, '" + t
        + "', 'alpaca')";
  }
}
