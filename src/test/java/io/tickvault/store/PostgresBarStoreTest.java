package io.tickvault.store;

import io.tickvault.testing.TestPostgres;

/** The storage contract on a real PostgreSQL (TICKVAULT_TEST_PG_URL, else embedded). */
class PostgresBarStoreTest extends BarStoreContract {
  @Override
  protected BarStore newStore() {
    return Stores.open(TestPostgres.newDatabase());
  }
}
