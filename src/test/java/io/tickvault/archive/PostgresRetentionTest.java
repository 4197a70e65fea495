package io.tickvault.archive;

import io.tickvault.store.BarStore;
import io.tickvault.store.Stores;
import io.tickvault.testing.TestPostgres;

/** {@link RetentionContract} on real PostgreSQL (TICKVAULT_TEST_PG_URL, or an embedded server). */
class PostgresRetentionTest extends RetentionContract {
  @Override
  BarStore open() {
    return Stores.open(TestPostgres.newDatabase());
  }
}
