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
    return "CREATE TABLE " + table + " (symbol VARCHAR(10) NOT NULL, price DECIMAL(10,4) NOT NULL CHECK (price > 0), "
        + "\"timestamp\" TIMESTAMPTZ NOT NULL, open_price DECIMAL(10,4), high_price DECIMAL(10,4), "
        + "low_price DECIMAL(10,4), close_price DECIMAL(10,4), volume BIGINT NOT NULL DEFAULT 0, "
        + "trade_count INTEGER NOT NULL DEFAULT 0, vwap DECIMAL(10,4), origin VARCHAR(40) NOT NULL DEFAULT 'legacy', "
        + "PRIMARY KEY (symbol, \"timestamp\"))";
  }

  @Override
  protected String plainInsert(String table, String symbol, int minute) {
    return "INSERT INTO " + table + " (symbol, price, \"timestamp\", origin) VALUES ('" + symbol.replace("'", "''")
        + "', 10, '2025-01-15 15:0" + minute + ":00+00', 'legacy')";
  }
}
