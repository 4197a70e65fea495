package io.tickvault.quality;

import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The health states on a real PostgreSQL (TICKVAULT_TEST_PG_URL, else embedded). */
class PostgresHealthTest extends HealthContract {
  private String url;

  @Override
  protected BarStore newStore() {
    url = TestPostgres.newDatabase();
    return Stores.open(url);
  }

  @Override
  protected Connection plainSql() throws SQLException {
    return DriverManager.getConnection(url);
  }
}
