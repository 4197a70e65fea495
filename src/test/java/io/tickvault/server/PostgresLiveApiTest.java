package io.tickvault.server;

import io.tickvault.testing.TestPostgres;

/** The live-mode API tests on a real PostgreSQL production store: aggregation and decimals from PostgreSQL. */
class PostgresLiveApiTest extends LiveApiTest {
  @Override
  protected String productionUrl() {
    return TestPostgres.newDatabase();
  }
}
