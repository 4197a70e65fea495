package io.tickvault.store;

import io.tickvault.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The storage contract on a real PostgreSQL (TICKVAULT_TEST_PG_URL, else embedded). */
class PostgresBarStoreTest extends BarStoreContract {
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

  @Override
  protected String legacyTableDdl(String table) {
    return io.tickvault.testing.LegacyTables.postgresDdl(table);
  }

  @Override
  protected String plainInsert(String table, String symbol, int minute) {
    return io.tickvault.testing.LegacyTables.postgresInsert(table, symbol, minute);
  }
}
